using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenKbs.Testing.Iam;

/// <summary>
/// A minimal evaluator of identity policies with Allow statements: action and resource matched with IAM's <c>*</c>/<c>?</c>
/// wildcards (case-insensitive actions, case-sensitive resources), <c>StringEquals</c>/<c>StringLike</c> conditions against the
/// request context (a missing key does not match, as in IAM). No Deny, NotAction, NotResource or policy variables: the generated
/// policies use none (a test asserts it).
/// </summary>
public static class IamPolicyEvaluator
{
    public static bool IsAllowed(string policyJson, string action, string resource, IReadOnlyDictionary<string, string>? context = null)
    {
        using var document = JsonDocument.Parse(policyJson);
        foreach (var statement in document.RootElement.GetProperty("Statement").EnumerateArray())
        {
            if (statement.GetProperty("Effect").GetString() != "Allow")
            {
                throw new NotSupportedException("only Allow statements are evaluated");
            }

            if (Strings(statement.GetProperty("Action")).Any(a => Matches(a, action, ignoreCase: true))
                && Strings(statement.GetProperty("Resource")).Any(r => Matches(r, resource, ignoreCase: false))
                && ConditionsHold(statement, context ?? new Dictionary<string, string>()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ConditionsHold(JsonElement statement, IReadOnlyDictionary<string, string> context)
    {
        if (!statement.TryGetProperty("Condition", out var conditions))
        {
            return true;
        }

        foreach (var op in conditions.EnumerateObject())
        {
            foreach (var key in op.Value.EnumerateObject())
            {
                if (!context.TryGetValue(key.Name, out var value))
                {
                    return false;
                }

                var values = Strings(key.Value);
                var holds = op.Name switch
                {
                    "StringEquals" => values.Contains(value, StringComparer.Ordinal),
                    "StringLike" => values.Any(v => Matches(v, value, ignoreCase: false)),
                    _ => throw new NotSupportedException($"condition operator {op.Name}"),
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static IEnumerable<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(e => e.GetString()!) : [element.GetString()!];

    internal static bool Matches(string pattern, string value, bool ignoreCase) =>
        Regex.IsMatch(
            value,
            "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
}
