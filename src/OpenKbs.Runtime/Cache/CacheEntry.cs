using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace OpenKbs.Runtime.Cache;

/// <summary>
/// One cached object: its metadata summary plus its JSON as compact UTF-8. Keeping bytes instead of typed objects halves
/// the memory per object and makes every read a private copy the caller may mutate. Of metadata.managedFields only one
/// entry is kept (<see cref="SpecChangeOnly"/>): who last changed the spec, for the audit trail.
/// </summary>
internal sealed class CacheEntry
{
    private CacheEntry(ObjectSummary summary, byte[] json)
    {
        Summary = summary;
        Json = json;
    }

    public ObjectSummary Summary { get; }

    public byte[] Json { get; }

    public ObjectKey Key => Summary.Key;

    /// <summary>Builds an entry from an object as the API server sent it (the node is modified: managedFields reduced to the spec's last change).</summary>
    public static CacheEntry From(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var metadata = item["metadata"] as JsonObject ?? throw new JsonException("object without metadata");
        if (SpecChangeOnly(metadata["managedFields"] as JsonArray) is { } specChange)
        {
            metadata["managedFields"] = new JsonArray(specChange);
        }
        else
        {
            metadata.Remove("managedFields");
        }

        var annotations = metadata["annotations"] as JsonObject;
        var summary = new ObjectSummary
        {
            Key = new ObjectKey(Str(metadata, "namespace") ?? string.Empty, Str(metadata, "name") ?? string.Empty),
            Uid = Str(metadata, "uid") ?? string.Empty,
            ResourceVersion = Str(metadata, "resourceVersion") ?? string.Empty,
            Generation = metadata["generation"] is JsonValue g && g.TryGetValue<long>(out var gen) ? gen : 0,
            IsDeleting = metadata["deletionTimestamp"] is not null,
            Paused = string.Equals(annotations is null ? null : Str(annotations, RuntimeAnnotations.Paused), "true", StringComparison.OrdinalIgnoreCase),
            ReconcileRequestedAt = annotations is null ? null : Str(annotations, RuntimeAnnotations.ReconcileRequestedAt),
            LabelsHash = MapHash(metadata["labels"] as JsonObject),
            AnnotationsHash = MapHash(annotations),
        };
        return new CacheEntry(summary, JsonSerializer.SerializeToUtf8Bytes(item));
    }

    /// <summary>A fresh typed copy of the object.</summary>
    public T Deserialize<T>()
    {
        using var stream = new MemoryStream(Json, writable: false);
        return KubernetesJson.Deserialize<T>(stream);
    }

    /// <summary>
    /// The managedFields entry that most recently changed the spec (not a subresource; latest <c>time</c>, on a tie the later
    /// entry), reduced to manager, operation, apiVersion, time and the field set <c>{"f:spec":{}}</c>; null when none did.
    /// Kubernetes keeps the field manager there, not the authenticated user.
    /// </summary>
    private static JsonObject? SpecChange(JsonArray? managedFields)
    {
        JsonObject? latest = null;
        var latestTime = DateTimeOffset.MinValue;
        foreach (var entry in (managedFields ?? []).OfType<JsonObject>())
        {
            if (!string.IsNullOrEmpty(Str(entry, "subresource")) || (entry["fieldsV1"] as JsonObject)?.ContainsKey("f:spec") != true)
            {
                continue;
            }

            // Times have seconds only: within one second the later entry wins.
            var time = DateTimeOffset.TryParse(Str(entry, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
            if (latest is null || time >= latestTime)
            {
                (latest, latestTime) = (entry, time);
            }
        }

        return latest;
    }

    private static JsonObject? SpecChangeOnly(JsonArray? managedFields)
    {
        if (SpecChange(managedFields) is not { } entry)
        {
            return null;
        }

        var reduced = new JsonObject();
        foreach (var name in (string[])["manager", "operation", "apiVersion", "time"])
        {
            if (entry[name] is { } value)
            {
                reduced[name] = value.DeepClone();
            }
        }

        reduced["fieldsType"] = "FieldsV1";
        reduced["fieldsV1"] = new JsonObject { ["f:spec"] = new JsonObject() };
        return reduced;
    }

    private static string? Str(JsonObject node, string name)
        => node[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int MapHash(JsonObject? map)
    {
        if (map is null || map.Count == 0)
        {
            return 0;
        }

        var hash = map.Count;
        foreach (var (key, value) in map)
        {
            // XOR keeps the hash independent of property order.
            hash ^= HashCode.Combine(key, value?.ToJsonString());
        }

        return hash;
    }
}
