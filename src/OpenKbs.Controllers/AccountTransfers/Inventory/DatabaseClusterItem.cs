namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>An Aurora cluster, its status and the latest time it can be restored to.</summary>
internal sealed record DatabaseClusterItem(string Identifier, string? Status, string? Engine, DateTimeOffset? LatestRestorableTime);
