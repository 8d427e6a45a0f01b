namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>A Lambda function and the SHA-256 of its deployed code (base64, as Lambda reports it).</summary>
internal sealed record FunctionItem(string Name, string? CodeSha256, string? Runtime, long? CodeSize);
