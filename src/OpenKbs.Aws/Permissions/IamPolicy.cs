using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Aws.Permissions;

/// <summary>One Allow statement of a generated IAM policy.</summary>
public sealed record IamStatement
{
    public required string Sid { get; init; }

    /// <summary>The IAM actions, sorted, without wildcards.</summary>
    public required IReadOnlyList<string> Actions { get; init; }

    /// <summary>Resource ARN patterns (<c>*</c> and <c>?</c> wildcards as IAM matches them).</summary>
    public required IReadOnlyList<string> Resources { get; init; }

    /// <summary>Conditions: operator (<c>StringEquals</c>, <c>StringLike</c>) -> key -> values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Conditions { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>();

    /// <summary>The audit actions (<c>service:Operation</c>) of the operations the actions come from.</summary>
    public required IReadOnlyList<string> Operations { get; init; }
}

/// <summary>A generated IAM policy document (identity policy: Allow statements only).</summary>
public sealed record IamPolicy(IReadOnlyList<IamStatement> Statements)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every action any statement grants.</summary>
    public IReadOnlySet<string> Actions => Statements.SelectMany(s => s.Actions).ToHashSet(StringComparer.Ordinal);

    /// <summary>The document as AWS reads it (Version 2012-10-17), two-space indented, one trailing newline.</summary>
    public string ToJson()
    {
        var statements = new JsonArray();
        foreach (var statement in Statements)
        {
            var node = new JsonObject
            {
                ["Sid"] = statement.Sid,
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray([.. statement.Actions.Select(a => (JsonNode)a)]),
                ["Resource"] = new JsonArray([.. statement.Resources.Select(r => (JsonNode)r)]),
            };
            if (statement.Conditions.Count > 0)
            {
                node["Condition"] = Condition(statement.Conditions);
            }

            statements.Add(node);
        }

        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString(Indented) + "\n";
    }

    internal static JsonObject Condition(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> conditions)
    {
        var node = new JsonObject();
        foreach (var (op, keys) in conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var inner = new JsonObject();
            foreach (var (key, values) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                inner[key] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
            }

            node[op] = inner;
        }

        return node;
    }
}
