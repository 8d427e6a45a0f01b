namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>A CloudFront distribution.</summary>
internal sealed record DistributionItem(string Id, string? DomainName, string? Status, bool? Enabled);
