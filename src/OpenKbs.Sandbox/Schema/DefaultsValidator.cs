using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// defaulting.ValidateDefaults: every default must validate against its own schema and be free of unknown fields.
/// </summary>
internal static class DefaultsValidator
{
    public static void Validate(SchemaNode node, List<FieldError> errors)
    {
        if (node.HasDefault && node.Default is not null)
        {
            var path = FieldPaths.Child(node.SchemaPath, "default");
            foreach (var error in OpenApiValidator.Validate(node, node.Default, "", null, false))
            {
                errors.Add(error.ToFieldError(path));
            }

            if (node.Default is JsonObject or JsonArray)
            {
                var pruned = node.Default.DeepClone();
                var unknown = new List<string>();
                PruneValue(pruned, node, unknown);
                if (unknown.Count > 0)
                {
                    errors.Add(FieldError.Invalid(path, node.Default.DeepClone(), "must not have unknown fields"));
                }
            }
        }

        if (node.Properties is not null)
        {
            foreach (var (_, prop) in node.Properties)
            {
                Validate(prop, errors);
            }
        }

        if (node.AdditionalProperties is { } additional)
        {
            Validate(additional, errors);
        }

        if (node.Items is { } items)
        {
            Validate(items, errors);
        }
    }

    private static void PruneValue(JsonNode? value, SchemaNode schema, List<string> unknown)
    {
        if (schema.PreserveUnknownFields)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (schema.EmbeddedResource && key is "apiVersion" or "kind" or "metadata")
                    {
                        continue;
                    }

                    var childSchema = schema.Property(key) ?? schema.AdditionalProperties;
                    if (childSchema is null && schema.AdditionalPropertiesAllowed != true)
                    {
                        unknown.Add(key);
                    }
                    else if (childSchema is not null)
                    {
                        PruneValue(child, childSchema, unknown);
                    }
                }

                break;
            case JsonArray arr when schema.Items is { } items:
                foreach (var item in arr)
                {
                    PruneValue(item, items, unknown);
                }

                break;
        }
    }
}
