using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Audit.Infrastructure;

/// <summary>One statement of an IAM-style policy document, with its string-or-array members read as lists.</summary>
internal sealed record PolicyStatement(
    string? Sid,
    bool Allow,
    IReadOnlyList<string> Actions,
    bool NotAction,
    IReadOnlyList<string> Resources,
    bool NotResource,
    IReadOnlyList<string> Principals,
    JsonObject? Condition,
    bool NotPrincipal = false)
{
    /// <summary>A short, stable description for evidence ("Sid WriteAll: Allow s3:* on *").</summary>
    public string Describe() =>
        $"{(Sid is null ? string.Empty : $"Sid {Sid}: ")}{(Allow ? "Allow" : "Deny")} {(NotAction ? "NotAction " : string.Empty)}{string.Join(",", Actions)} on {(NotResource ? "NotResource " : string.Empty)}{string.Join(",", Resources)}"
        + (Principals.Count > 0 ? $" to {(NotPrincipal ? "all but " : string.Empty)}{string.Join(",", Principals)}" : string.Empty)
        + (Condition is { Count: > 0 } ? " with conditions" : string.Empty);

    /// <summary>True when an action of this statement matches <paramref name="action"/> (IAM wildcards, case-insensitive).</summary>
    public bool Grants(string action) =>
        NotAction ? !Actions.Any(a => Wildcard.Matches(a, action)) : Actions.Any(a => Wildcard.Matches(a, action));

    public bool AnyResource => NotResource || Resources.Contains("*");

    /// <summary>The condition keys of the statement (any operator), as written.</summary>
    public IEnumerable<string> ConditionKeys =>
        Condition is null ? [] : Condition.Select(op => op.Value).OfType<JsonObject>().SelectMany(block => block.Select(k => k.Key));

    /// <summary>True when the condition block has a key (any operator) whose name is one of <paramref name="keys"/>.</summary>
    public bool HasConditionKey(params string[] keys) =>
        Condition is not null && Condition.Any(op => op.Value is JsonObject block && block.Any(k => keys.Contains(k.Key, StringComparer.OrdinalIgnoreCase)));
}

/// <summary>Reads the statements of a policy document; an unreadable document is reported, never guessed at.</summary>
internal static class PolicyStatements
{
    /// <exception cref="FormatException">the text is not a policy document.</exception>
    public static IReadOnlyList<PolicyStatement> Parse(string document)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(document);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the policy is not JSON: {ex.Message}", ex);
        }

        var statements = root?["Statement"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => throw new FormatException("the policy has no Statement"),
        };
        return [.. statements.Select(Read)];
    }

    private static PolicyStatement Read(JsonObject s)
    {
        var notAction = s.ContainsKey("NotAction");
        var notResource = s.ContainsKey("NotResource");
        var notPrincipal = s.ContainsKey("NotPrincipal");
        return new PolicyStatement(
            (string?)s["Sid"],
            string.Equals((string?)s["Effect"], "Allow", StringComparison.OrdinalIgnoreCase),
            Strings(s[notAction ? "NotAction" : "Action"]),
            notAction,
            Strings(s[notResource ? "NotResource" : "Resource"]),
            notResource,
            Principals(s[notPrincipal ? "NotPrincipal" : "Principal"]),
            s["Condition"] as JsonObject,
            notPrincipal);
    }

    private static IReadOnlyList<string> Principals(JsonNode? node) => node switch
    {
        null => [],
        JsonValue v => [v.ToString()],
        JsonObject o => [.. o.SelectMany(p => Strings(p.Value).Select(x => p.Key == "AWS" && x == "*" ? "*" : $"{p.Key}:{x}"))],
        _ => [],
    };

    private static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonValue v => [v.ToString()],
        JsonArray a => [.. a.Where(x => x is not null).Select(x => x!.ToString())],
        _ => [],
    };
}

/// <summary>IAM wildcard matching: <c>*</c> any run of characters, <c>?</c> one; case-insensitive (action names are).</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
