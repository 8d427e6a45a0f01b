using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace OpenKbs.Api.Tests.Crds;

/// <summary>
/// Checks a JSON object against a generated schema on create: schema defaults filled in first (as the API server
/// does), then field names, types, required fields, enums, patterns, bounds and the CEL rules. The sandbox API
/// server holds the full validator; this keeps the checked-in examples and fixtures honest without a server.
/// </summary>
internal static class SchemaConformance
{
    public static IReadOnlyList<string> Problems(JsonNode value, V1JSONSchemaProps schema)
    {
        var defaulted = value.DeepClone();
        ApplyDefaults(defaulted, schema);
        var problems = new List<string>();
        Check(defaulted, schema, string.Empty, problems);
        return problems;
    }

    private static void ApplyDefaults(JsonNode? value, V1JSONSchemaProps schema)
    {
        switch (value)
        {
            case JsonObject o when schema.Properties is not null:
                foreach (var (name, property) in schema.Properties)
                {
                    if (!o.ContainsKey(name) && property.DefaultProperty is not null)
                    {
                        o[name] = JsonNode.Parse(KubernetesJson.Serialize(property.DefaultProperty));
                    }

                    ApplyDefaults(o[name], property);
                }

                break;
            case JsonArray a when schema.Items is V1JSONSchemaProps items:
                foreach (var item in a)
                {
                    ApplyDefaults(item, items);
                }

                break;
        }
    }

    private static void Check(JsonNode value, V1JSONSchemaProps schema, string path, List<string> problems)
    {
        switch (value)
        {
            case JsonObject o when schema.Type == "object":
                if (schema.Properties is null && schema.AdditionalProperties is null)
                {
                    return; // metadata: the API server's own rules
                }

                foreach (var (name, child) in o)
                {
                    var childSchema = schema.Properties is { } properties && properties.TryGetValue(name, out var p) ? p : schema.AdditionalProperties as V1JSONSchemaProps;
                    if (childSchema is null)
                    {
                        problems.Add($"{path}.{name}: unknown field");
                    }
                    else if (child is not null)
                    {
                        Check(child, childSchema, $"{path}.{name}", problems);
                    }
                }

                problems.AddRange((schema.Required ?? []).Where(r => !o.ContainsKey(r)).Select(r => $"{path}.{r}: required"));
                if (schema.MaxProperties is { } maxProperties && o.Count > maxProperties)
                {
                    problems.Add($"{path}: more than {maxProperties} entries");
                }

                break;
            case JsonArray a when schema.Type == "array":
                var items = (V1JSONSchemaProps)schema.Items;
                foreach (var item in a)
                {
                    Check(item!, items, path + "[]", problems);
                }

                if (a.Count > schema.MaxItems || a.Count < schema.MinItems)
                {
                    problems.Add($"{path}: {a.Count} items, allowed {schema.MinItems ?? 0} to {schema.MaxItems}");
                }

                var keys = schema.XKubernetesListType switch
                {
                    "map" => a.Select(i => string.Join("/", schema.XKubernetesListMapKeys.Select(k => i![k]?.ToJsonString()))).ToList(),
                    "set" => a.Select(i => i!.ToJsonString()).ToList(),
                    _ => [],
                };
                if (keys.Distinct().Count() != keys.Count)
                {
                    problems.Add($"{path}: duplicate entries");
                }

                break;
            case JsonValue v:
                CheckScalar(v, schema, path, problems);
                break;
            default:
                problems.Add($"{path}: {value.GetValueKind()} where the schema says {schema.Type}");
                return;
        }

        if (schema.XKubernetesValidations is not null)
        {
            problems.AddRange(CelRules.Failures(schema, value.ToJsonString()).Select(m => $"{path}: {m}"));
        }
    }

    private static void CheckScalar(JsonValue v, V1JSONSchemaProps schema, string path, List<string> problems)
    {
        var kind = v.GetValueKind();
        switch (schema.Type, kind)
        {
            case ("string", JsonValueKind.String):
                var s = v.GetValue<string>();
                if (schema.EnumProperty is not null && !schema.EnumProperty.Cast<string>().Contains(s))
                {
                    problems.Add($"{path}: '{s}' is not one of {string.Join(", ", schema.EnumProperty)}");
                }

                if (schema.Pattern is not null && !Regex.IsMatch(s, schema.Pattern))
                {
                    problems.Add($"{path}: '{s}' does not match {schema.Pattern}");
                }

                if (s.Length > schema.MaxLength || s.Length < schema.MinLength)
                {
                    problems.Add($"{path}: length {s.Length} outside {schema.MinLength ?? 0}..{schema.MaxLength}");
                }

                if (schema.Format == "date-time" && !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{path}: '{s}' is not a date-time");
                }

                break;
            case ("boolean", JsonValueKind.True or JsonValueKind.False):
                break;
            case ("integer" or "number", JsonValueKind.Number):
                var n = v.GetValue<double>();
                if (schema.Type == "integer" && n != Math.Floor(n))
                {
                    problems.Add($"{path}: {n} is not an integer");
                }

                if (n < schema.Minimum || n > schema.Maximum)
                {
                    problems.Add($"{path}: {n} outside {schema.Minimum}..{schema.Maximum}");
                }

                if (schema.MultipleOf is { } step && Math.Abs(n / step - Math.Round(n / step)) > 1e-9)
                {
                    problems.Add($"{path}: {n} is not a multiple of {step}");
                }

                break;
            default:
                problems.Add($"{path}: {kind} where the schema says {schema.Type}");
                break;
        }
    }
}
