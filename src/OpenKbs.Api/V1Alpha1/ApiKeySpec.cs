using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An API key for the project's clients. Only its SHA-256 hash is stored; the plaintext is handed over once in a Secret.</summary>
public sealed record ApiKeySpec
{
    /// <summary>The key's name within the project: lowercase letters, digits and '-', at most 32 characters.</summary>
    [Pattern(Patterns.ShortName)]
    [MaxLength(32)]
    public required string Name { get; init; }

    /// <summary>What the key may do, as scopes the functions check, e.g. <c>orders:read</c>, <c>invoke:checkout</c> or
    /// <c>*</c> (1 to 20, each at most 64 characters).</summary>
    [ListSet]
    [MinItems(1)]
    [MaxItems(20)]
    [ItemMaxLength(64)]
    [ItemPattern("^[A-Za-z0-9*][A-Za-z0-9*:._/-]*$")]
    public required IList<string> Permissions { get; init; }
}
