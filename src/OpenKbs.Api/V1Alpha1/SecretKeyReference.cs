using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A key of a Secret in the same namespace.</summary>
public sealed record SecretKeyReference
{
    /// <summary>The name of the Secret, in this object's namespace.</summary>
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(Patterns.ObjectName)]
    public required string Name { get; init; }

    /// <summary>The key within the Secret's data.</summary>
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(@"^[-._a-zA-Z0-9]+$")]
    public required string Key { get; init; }
}
