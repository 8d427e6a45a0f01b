using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// apiextensions' structural defaulting: a property's default is set when the property is missing (or null and not
/// nullable), and only inside objects that exist; defaults are deep-copied, then defaulted themselves.
/// </summary>
internal static class Defaulter
{
    public static void Default(JsonNode? value, SchemaNode? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                if (schema.Properties is not null)
                {
                    foreach (var (name, prop) in schema.Properties)
                    {
                        if (!prop.HasDefault || prop.Default is null)
                        {
                            continue;
                        }

                        if (!obj.TryGetPropertyValue(name, out var current) || (current is null && !prop.Nullable))
                        {
                            obj[name] = prop.Default.DeepClone();
                        }
                    }
                }

                foreach (var (key, child) in obj.ToList())
                {
                    if (schema.Property(key) is { } prop)
                    {
                        Default(child, prop);
                    }
                    else if (schema.AdditionalProperties is { } additional)
                    {
                        if (child is null && !additional.Nullable && additional.HasDefault && additional.Default is not null)
                        {
                            obj[key] = additional.Default.DeepClone();
                        }

                        Default(obj[key], additional);
                    }
                }

                return;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is null && schema.Items is { Nullable: false, HasDefault: true, Default: not null } items)
                    {
                        arr[i] = items.Default.DeepClone();
                    }

                    Default(arr[i], schema.Items);
                }

                return;
        }
    }
}
