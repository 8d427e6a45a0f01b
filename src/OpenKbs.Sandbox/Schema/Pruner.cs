using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// apiextensions' pruning: fields the schema does not specify are dropped (unless x-kubernetes-preserve-unknown-fields),
/// apiVersion/kind/metadata of the resource root and of embedded resources are kept, metadata is coerced to
/// ObjectMeta, and nulls of non-nullable fields without a default are removed. Returns the dropped paths
/// ("spec.foo", "spec.items[0].bar") so a server can implement fieldValidation=Warn/Strict.
/// </summary>
internal static class Pruner
{
    private static readonly HashSet<string> MetaFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    public static List<string> Prune(JsonObject obj, SchemaNode root)
    {
        var unknown = new List<string>();
        PruneObject(obj, root, "", unknown, embeddedRoot: true);
        ObjectMetaCoercion.Coerce(obj, "", unknown);
        CoerceEmbedded(obj, root, "", unknown, isRoot: true);
        PruneNonNullableNulls(obj, root);
        return unknown;
    }

    private static void PruneValue(JsonNode? value, SchemaNode? schema, string path, List<string> unknown)
    {
        if (schema is { PreserveUnknownFields: true })
        {
            SkipPrune(value, schema, path, unknown);
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                if (schema is null)
                {
                    foreach (var key in obj.Select(p => p.Key).ToList())
                    {
                        unknown.Add(Append(path, key));
                        obj.Remove(key);
                    }

                    return;
                }

                PruneObject(obj, schema, path, unknown, schema.EmbeddedResource);
                return;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    PruneValue(arr[i], schema?.Items, AppendIndex(path, i), unknown);
                }

                return;
        }
    }

    private static void PruneObject(JsonObject obj, SchemaNode schema, string path, List<string> unknown, bool embeddedRoot)
    {
        if (schema.PreserveUnknownFields)
        {
            SkipPruneObject(obj, schema, path, unknown, embeddedRoot);
            return;
        }

        foreach (var (key, child) in obj.ToList())
        {
            if (embeddedRoot && MetaFields.Contains(key))
            {
                continue;
            }

            if (schema.Property(key) is { } prop)
            {
                PruneValue(child, prop, Append(path, key), unknown);
            }
            else if (schema.AdditionalProperties is { } additional)
            {
                PruneValue(child, additional, Append(path, key), unknown);
            }
            else if (schema.AdditionalPropertiesAllowed == true || schema.PreserveUnknownFields)
            {
                continue;
            }
            else
            {
                unknown.Add(Append(path, key));
                obj.Remove(key);
            }
        }
    }

    private static void SkipPruneObject(JsonObject obj, SchemaNode schema, string path, List<string> unknown, bool embedded)
    {
        foreach (var (key, child) in obj.ToList())
        {
            if (embedded && MetaFields.Contains(key))
            {
                continue;
            }

            if (schema.Property(key) is { } prop)
            {
                PruneValue(child, prop, Append(path, key), unknown);
            }
            else if (schema.AdditionalProperties is { } additional)
            {
                PruneValue(child, additional, Append(path, key), unknown);
            }
        }
    }

    private static void SkipPrune(JsonNode? value, SchemaNode schema, string path, List<string> unknown)
    {
        switch (value)
        {
            case JsonObject obj:
                SkipPruneObject(obj, schema, path, unknown, schema.EmbeddedResource);
                return;
            case JsonArray arr when schema.Items is { } items:
                for (var i = 0; i < arr.Count; i++)
                {
                    SkipPrune(arr[i], items, AppendIndex(path, i), unknown);
                }

                return;
        }
    }

    /// <summary>schemaobjectmeta.Coerce for x-kubernetes-embedded-resource objects below the root.</summary>
    private static void CoerceEmbedded(JsonNode? value, SchemaNode? schema, string path, List<string> unknown, bool isRoot)
    {
        if (schema is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                if (schema.EmbeddedResource && !isRoot)
                {
                    ObjectMetaCoercion.Coerce(obj, path, unknown);
                }

                foreach (var (key, child) in obj.ToList())
                {
                    if (isRoot && key == "metadata")
                    {
                        continue;
                    }

                    var childSchema = schema.Property(key) ?? schema.AdditionalProperties;
                    CoerceEmbedded(child, childSchema, Append(path, key), unknown, isRoot: false);
                }

                return;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    CoerceEmbedded(arr[i], schema.Items, AppendIndex(path, i), unknown, isRoot: false);
                }

                return;
        }
    }

    /// <summary>structuraldefaulting.PruneNonNullableNullsWithoutDefaults.</summary>
    public static void PruneNonNullableNulls(JsonNode? value, SchemaNode? schema)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    var childSchema = schema?.Property(key) ?? schema?.AdditionalProperties;
                    if (child is null && childSchema is { Nullable: false, HasDefault: false })
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        PruneNonNullableNulls(child, childSchema);
                    }
                }

                return;
            case JsonArray arr:
                foreach (var item in arr)
                {
                    PruneNonNullableNulls(item, schema?.Items);
                }

                return;
        }
    }

    private static string Append(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string AppendIndex(string path, int index) => path + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
