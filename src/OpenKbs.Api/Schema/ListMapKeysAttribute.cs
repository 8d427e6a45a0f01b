namespace OpenKbs.Api.Schema;

/// <summary>
/// The list is a map keyed by these item fields (<c>x-kubernetes-list-type: map</c>): keys are unique and
/// server-side apply merges items by key. The key fields must be required.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
