using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>Turns an object into its field-set members (keyed by the joined path), following the schema's list and map types.</summary>
internal static class FieldFlattener
{
    private static readonly HashSet<string> StrippedMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "creationTimestamp", "selfLink", "uid", "generation", "managedFields", "resourceVersion",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    public static string Key(IReadOnlyList<string> path) => string.Join('\u0001', path);

    /// <summary>Members of <paramref name="obj"/>. <paramref name="only"/> limits to one top-level field (status subresource);
    /// <paramref name="skip"/> drops one (status on the main resource when a status subresource exists).</summary>
    public static Dictionary<string, FlatField> Flatten(JsonObject obj, JsonObject? schema, bool markMaps, string? only = null, string? skip = null)
    {
        var result = new Dictionary<string, FlatField>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (only is not null && key != only) || key == skip)
            {
                continue;
            }

            path.Add("f:" + key);
            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (mk, mv) in meta)
                {
                    if (StrippedMetadata.Contains(mk))
                    {
                        continue;
                    }

                    path.Add("f:" + mk);
                    Walk(mv, null, path, ["metadata", mk], markMaps, result);
                    path.RemoveAt(path.Count - 1);
                }
            }
            else
            {
                Walk(value, SchemaNavigator.Property(schema, key), path, [key], markMaps, result);
            }

            path.RemoveAt(path.Count - 1);
        }

        return result;
    }

    private static void Walk(JsonNode? value, JsonObject? schema, List<string> path, List<string> names, bool markMaps, Dictionary<string, FlatField> result)
    {
        switch (value)
        {
            case JsonObject o when !SchemaNavigator.IsAtomicMap(schema) && o.Count > 0:
                if (markMaps)
                {
                    Add(result, path, null, false);
                }

                foreach (var (key, child) in o)
                {
                    path.Add("f:" + key);
                    names.Add(key);
                    Walk(child, SchemaNavigator.Property(schema, key), path, names, markMaps, result);
                    names.RemoveAt(names.Count - 1);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray a when a.Count > 0:
                var (type, keys) = SchemaNavigator.ListType(schema, names);
                var items = SchemaNavigator.Items(schema);
                if (type == "set")
                {
                    if (markMaps)
                    {
                        Add(result, path, null, false);
                    }

                    foreach (var item in a)
                    {
                        path.Add("v:" + (item?.ToJsonString() ?? "null"));
                        Add(result, path, item, true);
                        path.RemoveAt(path.Count - 1);
                    }
                }
                else if (type == "map")
                {
                    if (markMaps)
                    {
                        Add(result, path, null, false);
                    }

                    foreach (var item in a.OfType<JsonObject>())
                    {
                        path.Add(ItemKey(item, keys));
                        Add(result, path, null, false);
                        foreach (var (key, child) in item)
                        {
                            path.Add("f:" + key);
                            names.Add(key);
                            Walk(child, SchemaNavigator.Property(items, key), path, names, markMaps, result);
                            names.RemoveAt(names.Count - 1);
                            path.RemoveAt(path.Count - 1);
                        }

                        path.RemoveAt(path.Count - 1);
                    }
                }
                else
                {
                    Add(result, path, a, true);
                }

                break;
            default:
                Add(result, path, value, true);
                break;
        }
    }

    public static string ItemKey(JsonObject item, IReadOnlyList<string> keys)
    {
        var k = new JsonObject();
        foreach (var name in keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            k[name] = item[name]?.DeepClone();
        }

        return "k:" + System.Text.Encoding.UTF8.GetString(KubeJson.Serialize(k));
    }

    private static void Add(Dictionary<string, FlatField> result, List<string> path, JsonNode? value, bool leaf)
    {
        var copy = path.ToArray();
        result[Key(copy)] = new FlatField(copy, value, leaf);
    }
}
