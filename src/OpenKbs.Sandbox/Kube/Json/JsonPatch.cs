using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>RFC 6902 JSON patch (application/json-patch+json): add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    /// <summary>Applies the operations to (a clone of) the document. Throws <see cref="FormatException"/> for a malformed patch
    /// and <see cref="InvalidOperationException"/> when an operation cannot be applied.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw new FormatException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        var root = new JsonObject { ["r"] = document?.DeepClone() };
        foreach (var opNode in ops)
        {
            if (opNode is not JsonObject op)
            {
                throw new FormatException("invalid JSON patch operation");
            }

            var kind = KubeJson.GetString(op, "op") ?? throw new FormatException("Unexpected kind: unknown");
            var path = KubeJson.GetString(op, "path") ?? throw new InvalidOperationException($"{kind} operation does not apply: doc is missing path: \"\"");
            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                {
                    var from = KubeJson.GetString(op, "from") ?? throw new InvalidOperationException("move operation missing from");
                    var value = Remove(root, from);
                    Add(root, path, value);
                    break;
                }

                case "copy":
                {
                    var from = KubeJson.GetString(op, "from") ?? throw new InvalidOperationException("copy operation missing from");
                    var value = Get(root, from);
                    Add(root, path, value?.DeepClone());
                    break;
                }

                case "test":
                {
                    var actual = Get(root, path);
                    if (!JsonNode.DeepEquals(actual, Value(op)))
                    {
                        throw new InvalidOperationException($"testing value {path} failed: test failed");
                    }

                    break;
                }

                default:
                    throw new FormatException($"Unexpected kind: {kind}");
            }
        }

        var result = root["r"];
        root.Remove("r");
        return result;
    }

    private static JsonNode? Value(JsonObject op)
    {
        if (!op.TryGetPropertyValue("value", out var v))
        {
            throw new InvalidOperationException("missing value");
        }

        return v?.DeepClone();
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new InvalidOperationException($"JSON pointer must be empty or start with a \"/\": {path}");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string path)
    {
        var tokens = Tokens(path);
        tokens.Insert(0, "r");
        JsonNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw new InvalidOperationException($"doc is missing path: \"{path}\": missing value");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a => int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count ? a[i] : null,
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, token) = Parent(root, path);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(token, out var v) => v,
            JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
            _ => throw new InvalidOperationException($"doc is missing path: \"{path}\": missing value"),
        };
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a:
                if (token == "-")
                {
                    a.Add(value);
                }
                else if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count)
                {
                    a.Insert(i, value);
                }
                else
                {
                    throw new InvalidOperationException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
                }

                break;
            default:
                throw new InvalidOperationException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(token, out var v):
                o.Remove(token);
                return v;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return item;
            default:
                throw new InvalidOperationException($"remove operation does not apply: doc is missing path: \"{path}\": missing value");
        }
    }
}
