namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>An S3 bucket: current objects (latest versions that are not delete markers), all object versions, delete markers and bytes.</summary>
internal sealed record BucketItem(string Name, long Objects, long Versions, long DeleteMarkers, long Bytes);
