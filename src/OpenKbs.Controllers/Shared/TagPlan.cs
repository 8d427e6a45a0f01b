namespace OpenKbs.Controllers.Shared;

/// <summary>
/// What to change on an AWS resource's tags: set what differs from the desired tags, and remove only the keys the
/// operator applied before (from the spec) that left the spec, plus keys it must clear (e.g. <c>openkbs.com/released</c>).
/// Tags set by other tools are never touched.
/// </summary>
public sealed record TagPlan
{
    public required IReadOnlyDictionary<string, string> ToSet { get; init; }

    public required IReadOnlyList<string> ToRemove { get; init; }

    public bool IsEmpty => ToSet.Count == 0 && ToRemove.Count == 0;

    /// <summary>The delta from <paramref name="current"/> to <paramref name="desired"/>.</summary>
    /// <param name="current">The tags the resource carries now.</param>
    /// <param name="desired">Ownership tags plus the spec's tags.</param>
    /// <param name="previouslyApplied">Spec tag keys applied by an earlier pass (status).</param>
    /// <param name="clear">Keys to remove when present (not in <paramref name="desired"/>).</param>
    public static TagPlan Compute(
        IReadOnlyDictionary<string, string> current,
        IReadOnlyDictionary<string, string> desired,
        IEnumerable<string>? previouslyApplied,
        IEnumerable<string>? clear = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var toSet = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in desired)
        {
            if (!current.TryGetValue(key, out var existing) || !string.Equals(existing, value, StringComparison.Ordinal))
            {
                toSet[key] = value;
            }
        }

        var toRemove = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in (previouslyApplied ?? []).Concat(clear ?? []))
        {
            if (!desired.ContainsKey(key) && current.ContainsKey(key))
            {
                toRemove.Add(key);
            }
        }

        return new TagPlan { ToSet = toSet, ToRemove = [.. toRemove] };
    }
}
