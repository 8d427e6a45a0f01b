using OpenKbs.Api;

namespace OpenKbs.Controllers.Projects;

/// <summary>Tag merging for AWS resources of a Project: owner tags set, the released tag cleared, other tools' tags kept.</summary>
internal static class ProjectTags
{
    /// <summary>
    /// The full tag set to write when <paramref name="current"/> lacks an owner tag or carries <c>openkbs.com/released</c>
    /// (a released resource adopted again), or null when nothing needs writing.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Merge(IEnumerable<KeyValuePair<string, string>> current, IReadOnlyDictionary<string, string> owner)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in current)
        {
            merged[key] = value;
        }

        var changed = merged.Remove(Labels.Released);
        foreach (var (key, value) in owner)
        {
            if (!merged.TryGetValue(key, out var existing) || existing != value)
            {
                merged[key] = value;
                changed = true;
            }
        }

        return changed ? merged : null;
    }
}
