using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>
/// Reads merge semantics from an OpenAPI v3 schema node: list types (atomic/set/map + map keys) and atomic maps.
/// Without a schema: maps are granular and lists atomic, except metadata.finalizers (set) and
/// metadata.ownerReferences (map keyed by uid), as Kubernetes' ObjectMeta declares.
/// </summary>
internal static class SchemaNavigator
{
    public static JsonObject? Property(JsonObject? schema, string name)
    {
        if (schema is null)
        {
            return null;
        }

        if (schema["properties"] is JsonObject props && props[name] is JsonObject p)
        {
            return p;
        }

        return schema["additionalProperties"] as JsonObject;
    }

    public static JsonObject? Items(JsonObject? schema) => schema?["items"] as JsonObject;

    public static bool IsAtomicMap(JsonObject? schema) => KubeJson.GetString(schema, "x-kubernetes-map-type") == "atomic";

    /// <summary>List type of the list at <paramref name="path"/> (element names without prefixes) with the given schema.</summary>
    public static (string Type, IReadOnlyList<string> Keys) ListType(JsonObject? schema, IReadOnlyList<string> path)
    {
        if (path.Count == 2 && path[0] == "metadata")
        {
            switch (path[1])
            {
                case "finalizers":
                    return ("set", []);
                case "ownerReferences":
                    return ("map", ["uid"]);
            }
        }

        var type = KubeJson.GetString(schema, "x-kubernetes-list-type") ?? "atomic";
        var keys = type == "map" ? KubeJson.GetStringList(schema, "x-kubernetes-list-map-keys") : [];
        if (type == "map" && keys.Count == 0)
        {
            type = "atomic";
        }

        return (type, keys);
    }
}
