using System.Globalization;
using k8s;
using k8s.Models;
using OpenKbs.Api;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// The tags the operator puts on every AWS resource it manages (architecture: "where state lives"):
/// <c>openkbs.com/managed-by</c>, <c>openkbs.com/owner</c> (<c>namespace/Kind/name</c>), <c>openkbs.com/uid</c> and
/// <c>openkbs.com/namespace</c>. The uid is the authoritative owner check; the others are for humans and cost reports.
/// The one place that reads them back: whose a resource is (<see cref="ForeignOwner"/>), whether a Retain deletion released
/// it (<see cref="IsReleased"/>, <see cref="ReleasedValue"/>) and which owner tags it lacks (<see cref="Missing"/>,
/// <see cref="Merge"/>). Changes to spec tags are a <see cref="TagPlan"/>.
/// </summary>
public static class OwnershipTags
{
    /// <summary>AWS's longest tag value (Organizations, IAM, Lambda, S3 all allow 256).</summary>
    public const int MaxValueLength = 256;

    /// <summary>The ownership tags of <paramref name="resource"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = resource.Metadata ?? throw new ArgumentException("the resource has no metadata", nameof(resource));
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Labels.ManagedBy] = Labels.ManagedByValue,
            [Labels.Owner] = Fit(Labels.OwnerValue(metadata.NamespaceProperty ?? string.Empty, resource.Kind, metadata.Name ?? string.Empty)),
            [Labels.Namespace] = metadata.NamespaceProperty ?? string.Empty,
        };
        if (!string.IsNullOrEmpty(metadata.Uid))
        {
            tags[Labels.Uid] = metadata.Uid;
        }

        return tags;
    }

    /// <summary>True for keys users may not set (the operator's own and AWS's).</summary>
    public static bool IsReserved(string key) =>
        key.StartsWith("openkbs.com/", StringComparison.Ordinal) || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of <paramref name="key"/> in a tag list, or null.</summary>
    public static string? Find(IEnumerable<KeyValuePair<string, string>> tags, string key)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var (k, v) in tags)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>
    /// The owner named by a uid tag that is not <paramref name="uid"/> (its owner tag, else <c>uid …</c>), or null when
    /// the resource is ours or carries no uid tag (an untagged resource is adopted).
    /// </summary>
    public static string? ForeignOwner(IEnumerable<KeyValuePair<string, string>> tags, string? uid)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var pairs = tags as IReadOnlyCollection<KeyValuePair<string, string>> ?? [.. tags];
        return Find(pairs, Labels.Uid) is { } tagged && !string.Equals(tagged, uid, StringComparison.Ordinal)
            ? Find(pairs, Labels.Owner) ?? $"uid {tagged}"
            : null;
    }

    /// <summary>True when the tags carry <c>openkbs.com/released</c> (left by a Retain deletion).</summary>
    public static bool IsReleased(IEnumerable<KeyValuePair<string, string>> tags) => Find(tags, Labels.Released) is not null;

    /// <summary>The value of <c>openkbs.com/released</c> for a release at <paramref name="now"/> (UTC, whole seconds).</summary>
    public static string ReleasedValue(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The tags of <paramref name="owner"/> that <paramref name="current"/> lacks or carries with another value, in <paramref name="owner"/>'s order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Missing(IReadOnlyDictionary<string, string> owner, IEnumerable<KeyValuePair<string, string>> current)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(current);
        var pairs = current as IReadOnlyCollection<KeyValuePair<string, string>> ?? [.. current];
        return [.. owner.Where(t => !string.Equals(Find(pairs, t.Key), t.Value, StringComparison.Ordinal))];
    }

    /// <summary>
    /// The full tag set to write (other tools' tags kept, the owner tags set, <c>openkbs.com/released</c> cleared) when
    /// <paramref name="current"/> lacks an owner tag or was released, or null when nothing needs writing. For services whose
    /// tag call replaces the whole set (S3).
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Merge(IEnumerable<KeyValuePair<string, string>> current, IReadOnlyDictionary<string, string> owner)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(owner);
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in current)
        {
            merged[key] = value;
        }

        var changed = merged.Remove(Labels.Released);
        foreach (var (key, value) in owner)
        {
            if (!merged.TryGetValue(key, out var existing) || !string.Equals(existing, value, StringComparison.Ordinal))
            {
                merged[key] = value;
                changed = true;
            }
        }

        return changed ? merged : null;
    }

    private static string Fit(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength];
}
