namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>A customer-managed KMS key, by its alias.</summary>
internal sealed record KeyItem(string Alias, string KeyId, string? State);
