using k8s;
using k8s.Models;
using OpenKbs.Api;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// The tags the operator puts on every AWS resource it manages (architecture: "where state lives"):
/// <c>openkbs.com/managed-by</c>, <c>openkbs.com/owner</c> (<c>namespace/Kind/name</c>), <c>openkbs.com/uid</c> and
/// <c>openkbs.com/namespace</c>. The uid is the authoritative owner check; the others are for humans and cost reports.
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

    private static string Fit(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength];
}
