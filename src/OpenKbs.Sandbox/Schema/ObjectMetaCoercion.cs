using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// The ObjectMeta round trip apiextensions applies to metadata (schemaobjectmeta.GetObjectMeta/SetObjectMeta):
/// fields ObjectMeta does not know are dropped, inside ownerReferences and managedFields too. Wrongly typed known
/// fields are left for <see cref="ObjectMetaValidator"/> to report.
/// </summary>
internal static class ObjectMetaCoercion
{
    public static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    };

    private static readonly HashSet<string> OwnerReferenceFields = new(StringComparer.Ordinal)
    {
        "apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion",
    };

    private static readonly HashSet<string> ManagedFieldsEntryFields = new(StringComparer.Ordinal)
    {
        "manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource",
    };

    /// <summary>Coerces <c>obj.metadata</c>; <paramref name="path"/> is the path of <paramref name="obj"/>.</summary>
    public static void Coerce(JsonObject obj, string path, List<string> unknown)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            return;
        }

        var metadataPath = path.Length == 0 ? "metadata" : path + ".metadata";
        DropUnknown(metadata, Fields, metadataPath, unknown);
        DropUnknownInList(metadata["ownerReferences"], OwnerReferenceFields, metadataPath + ".ownerReferences", unknown);
        DropUnknownInList(metadata["managedFields"], ManagedFieldsEntryFields, metadataPath + ".managedFields", unknown);
        if (metadata.TryGetPropertyValue("creationTimestamp", out var created) && created is null)
        {
            metadata.Remove("creationTimestamp");
        }
    }

    private static void DropUnknownInList(JsonNode? list, HashSet<string> known, string path, List<string> unknown)
    {
        if (list is not JsonArray array)
        {
            return;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item)
            {
                DropUnknown(item, known, $"{path}[{i}]", unknown);
            }
        }
    }

    private static void DropUnknown(JsonObject obj, HashSet<string> known, string path, List<string> unknown)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (!known.Contains(key))
            {
                unknown.Add(path + "." + key);
                obj.Remove(key);
            }
        }
    }

    /// <summary>True when the value has the JSON kind ObjectMeta's field expects.</summary>
    public static bool HasExpectedKind(string field, JsonNode? value)
    {
        if (value is null)
        {
            return true;
        }

        return field switch
        {
            "generation" or "deletionGracePeriodSeconds" => JsonNumbers.IsIntegral(value),
            "labels" or "annotations" => value is JsonObject o && o.All(p => p.Value is null || JsonKind.AsString(p.Value) is not null),
            "finalizers" => value is JsonArray a && a.All(i => JsonKind.AsString(i) is not null),
            "ownerReferences" or "managedFields" => value is JsonArray a && a.All(i => i is JsonObject),
            _ => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        };
    }
}
