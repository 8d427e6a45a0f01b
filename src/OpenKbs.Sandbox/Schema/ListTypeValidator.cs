using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// apiextensions' listtype.ValidateListSetsAndMaps: items of x-kubernetes-list-type set must be unique, keys of
/// x-kubernetes-list-type map must be unique. Duplicates are reported at the index of their second appearance.
/// </summary>
internal static class ListTypeValidator
{
    public static List<FieldError> Validate(JsonObject obj, SchemaNode root)
    {
        var errors = new List<FieldError>();
        ValidateObject(null, root, obj, errors);
        return errors;
    }

    private static void ValidateObject(string? path, SchemaNode schema, JsonObject obj, List<FieldError> errors)
    {
        if (schema.AdditionalProperties is { } additional)
        {
            foreach (var (key, value) in obj)
            {
                ValidateValue(FieldPaths.Key(path, key), additional, value, errors);
            }
        }

        if (schema.Properties is not null)
        {
            foreach (var (key, value) in obj)
            {
                if (schema.Property(key) is { } prop)
                {
                    ValidateValue(FieldPaths.Child(path, key), prop, value, errors);
                }
            }
        }
    }

    private static void ValidateValue(string path, SchemaNode schema, JsonNode? value, List<FieldError> errors)
    {
        switch (value)
        {
            case JsonArray array:
                ValidateArray(path, schema, array, errors);
                break;
            case JsonObject obj:
                ValidateObject(path, schema, obj, errors);
                break;
        }
    }

    private static void ValidateArray(string path, SchemaNode schema, JsonArray array, List<FieldError> errors)
    {
        switch (schema.ListType)
        {
            case "set":
                foreach (var i in NonUnique(array.Select(x => (JsonNode?)x).ToList()))
                {
                    errors.Add(FieldError.Duplicate(FieldPaths.Index(path, i), array[i]?.DeepClone()));
                }

                break;
            case "map":
                ValidateListMap(path, schema, array, errors);
                break;
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateValue(FieldPaths.Index(path, i), items, array[i], errors);
            }
        }
    }

    private static void ValidateListMap(string path, SchemaNode schema, JsonArray array, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not null and not JsonObject)
            {
                errors.Add(FieldError.Invalid(FieldPaths.Index(path, i), array[i]!.DeepClone(), "must be an object for an array of list-type map"));
                return;
            }
        }

        if (array.Count <= 1)
        {
            return;
        }

        var keys = new List<JsonNode?>();
        foreach (var element in array)
        {
            var key = new JsonObject();
            if (element is JsonObject obj)
            {
                foreach (var keyField in schema.ListMapKeys)
                {
                    if (obj.TryGetPropertyValue(keyField, out var k))
                    {
                        key[keyField] = k?.DeepClone();
                    }
                }
            }

            keys.Add(key);
        }

        foreach (var i in NonUnique(keys))
        {
            errors.Add(FieldError.Duplicate(FieldPaths.Index(path, i), keys[i]));
        }
    }

    /// <summary>The index of the second appearance of every repeated element (validateListSet).</summary>
    private static List<int> NonUnique(List<JsonNode?> items)
    {
        var result = new List<int>();
        if (items.Count <= 1)
        {
            return result;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var key = Canonical(items[i]);
            if (seen.TryGetValue(key, out var times))
            {
                seen[key] = times + 1;
                if (times == 1)
                {
                    result.Add(i);
                }
            }
            else
            {
                seen[key] = 1;
            }
        }

        return result;
    }

    /// <summary>A canonical JSON text (sorted keys, Go's number distinction) so equal values collide.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => GoFormat.Quote(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray arr => "[" + string.Join(",", arr.Select(Canonical)) + "]",
        _ => JsonKind.Of(node) + ":" + node.ToJsonString(),
    };
}
