using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A reference to another object in the same namespace (there is no namespace field by design).</summary>
public sealed record LocalObjectReference
{
    /// <summary>The name of the object, in this object's namespace.</summary>
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(Patterns.ObjectName)]
    public required string Name { get; init; }
}
