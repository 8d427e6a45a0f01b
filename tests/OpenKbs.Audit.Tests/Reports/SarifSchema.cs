using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace OpenKbs.Audit.Tests.Reports;

/// <summary>
/// The official SARIF 2.1.0 JSON schema (OASIS sarif-spec, Schemata/sarif-schema-2.1.0.json, errata01), committed
/// verbatim next to this file. It declares JSON Schema draft-04, which JsonSchema.Net does not implement; the keywords
/// it uses (type, enum, properties, required, additionalProperties, items, min/maxItems, uniqueItems, minimum,
/// maximum, pattern, format, anyOf, oneOf, $ref to definitions) mean the same in draft-07, so it is evaluated as
/// draft-07 with its draft-04 <c>id</c> as the base URI, formats enforced.
/// </summary>
internal static class SarifSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "sarif-schema-2.1.0.json")))!.AsObject();
        document["$schema"] = "http://json-schema.org/draft-07/schema#";
        var id = document["id"]!.GetValue<string>();
        document.Remove("id");
        return JsonSchema.FromText(document.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri(id));
    });

    /// <summary>The schema's errors for <paramref name="sarif"/> (empty when valid), as "instance path: message".</summary>
    public static IReadOnlyList<string> Errors(string sarif)
    {
        using var json = JsonDocument.Parse(sarif);
        var result = Schema.Value.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))];
    }
}
