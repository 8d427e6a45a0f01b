using System.Text.Json.Nodes;
using Cel;
using k8s.Models;

namespace OpenKbs.Api.Tests.Crds;

/// <summary>
/// Evaluates the <c>x-kubernetes-validations</c> of a schema node the way the API server does: <c>self</c> is the
/// value, <c>oldSelf</c> the previous value, and transition rules (those naming oldSelf) run only on updates.
/// Values are converted along the schema, so a <c>number</c> field is a double even when written as 1.
/// </summary>
internal static class CelRules
{
    private static readonly CelEnvironment Environment = new(null, null);

    /// <summary>CEL reserved words: Kubernetes exposes properties with these names to rules as __word__.</summary>
    private static readonly HashSet<string> ReservedWords =
    [
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ];

    /// <summary>The messages of the rules that fail (empty when all pass).</summary>
    public static IReadOnlyList<string> Failures(V1JSONSchemaProps node, string selfJson, string? oldSelfJson = null)
    {
        var self = ToCel(JsonNode.Parse(selfJson), node);
        var oldSelf = oldSelfJson is null ? null : ToCel(JsonNode.Parse(oldSelfJson), node);
        var failures = new List<string>();
        foreach (var rule in node.XKubernetesValidations ?? [])
        {
            var isTransition = rule.Rule.Contains("oldSelf", StringComparison.Ordinal);
            if (isTransition && oldSelfJson is null)
            {
                continue;
            }

            var variables = new Dictionary<string, object?> { ["self"] = self, ["oldSelf"] = oldSelf };
            var result = Environment.Program(rule.Rule, variables);
            if (result is not bool passed)
            {
                throw new InvalidOperationException($"Rule '{rule.Rule}' returned {result ?? "null"}, not a bool.");
            }

            if (!passed)
            {
                failures.Add(rule.Message);
            }
        }

        return failures;
    }

    private static object? ToCel(JsonNode? value, V1JSONSchemaProps? schema) => value switch
    {
        null => null,
        JsonObject o => o.ToDictionary(
            p => schema?.Properties is not null && ReservedWords.Contains(p.Key) ? "__" + p.Key + "__" : p.Key,
            p => ToCel(p.Value, PropertySchema(schema, p.Key))),
        JsonArray a => a.Select(item => ToCel(item, schema?.Items as V1JSONSchemaProps)).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when schema?.Type == "number" => v.GetValue<double>(),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<double>(),
        _ => throw new NotSupportedException(value.ToJsonString()),
    };

    private static V1JSONSchemaProps? PropertySchema(V1JSONSchemaProps? schema, string name) =>
        schema?.Properties is { } properties && properties.TryGetValue(name, out var property)
            ? property
            : schema?.AdditionalProperties as V1JSONSchemaProps;
}
