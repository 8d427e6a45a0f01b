using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenKbs.Testing.Iam;

/// <summary>
/// A minimal evaluator of identity policies with Allow statements: action and resource matched with IAM's <c>*</c>/<c>?</c>
/// wildcards (case-insensitive actions, case-sensitive resources), conditions against the request context as IAM evaluates
/// them: <c>StringEquals</c>, <c>StringLike</c>, <c>ArnEquals</c>, <c>ArnLike</c> and the <c>Numeric*</c> operators on
/// single-valued keys (a missing key does not match); the set operators <c>ForAnyValue:</c> (at least one value of the key
/// matches; a missing or empty key does not) and <c>ForAllValues:</c> (every value matches; a missing or empty key does) on
/// multi-valued keys such as <c>kms:ResourceAliases</c>. All operators of a statement and all keys of an operator must hold
/// (AND); the values of one key are alternatives (OR). No Deny, NotAction, NotResource, <c>IfExists</c> or policy variables:
/// the generated policies use none (a test asserts it).
/// </summary>
public static class IamPolicyEvaluator
{
    /// <summary>Whether <paramref name="policyJson"/> allows <paramref name="action"/> on <paramref name="resource"/> (single-valued context).</summary>
    public static bool IsAllowed(string policyJson, string action, string resource, IReadOnlyDictionary<string, string>? context = null) =>
        IsAllowed(policyJson, action, resource, Multi(context));

    /// <summary>Whether <paramref name="policyJson"/> allows <paramref name="action"/> on <paramref name="resource"/>; a context key may carry several values.</summary>
    public static bool IsAllowed(string policyJson, string action, string resource, IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var document = JsonDocument.Parse(policyJson);
        foreach (var statement in document.RootElement.GetProperty("Statement").EnumerateArray())
        {
            if (statement.GetProperty("Effect").GetString() != "Allow")
            {
                throw new NotSupportedException("only Allow statements are evaluated");
            }

            if (Strings(statement.GetProperty("Action")).Any(a => Matches(a, action, ignoreCase: true))
                && Strings(statement.GetProperty("Resource")).Any(r => Matches(r, resource, ignoreCase: false))
                && ConditionsHold(statement, context))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, IReadOnlyList<string>> Multi(IReadOnlyDictionary<string, string>? context) =>
        (context ?? new Dictionary<string, string>()).ToDictionary(c => c.Key, c => (IReadOnlyList<string>)[c.Value], StringComparer.Ordinal);

    private static bool ConditionsHold(JsonElement statement, IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        if (!statement.TryGetProperty("Condition", out var conditions))
        {
            return true;
        }

        foreach (var op in conditions.EnumerateObject())
        {
            foreach (var key in op.Value.EnumerateObject())
            {
                if (!Holds(op.Name, context.TryGetValue(key.Name, out var present) ? present : null, [.. Strings(key.Value)]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>One condition key: <paramref name="present"/> is the request's values (null when the key is absent).</summary>
    private static bool Holds(string op, IReadOnlyList<string>? present, IReadOnlyList<string> policy)
    {
        var separator = op.IndexOf(':', StringComparison.Ordinal);
        var set = separator < 0 ? null : op[..separator];
        var comparison = separator < 0 ? op : op[(separator + 1)..];
        if (comparison.EndsWith("IfExists", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"condition operator {op}");
        }

        bool Match(string value) => policy.Any(p => Compare(comparison, p, value));
        switch (set)
        {
            case null:
                // A single-valued key: absent does not match; several values would be a policy written for the wrong key type.
                if (present is { Count: > 1 })
                {
                    throw new NotSupportedException($"{op} on a multi-valued key needs ForAnyValue: or ForAllValues:");
                }

                return present is [var single] && Match(single);
            case "ForAnyValue":
                return present is { Count: > 0 } && present.Any(Match);
            case "ForAllValues":
                return present is null || present.All(Match);
            default:
                throw new NotSupportedException($"condition operator {op}");
        }
    }

    private static bool Compare(string comparison, string pattern, string value) => comparison switch
    {
        "StringEquals" or "ArnEquals" => string.Equals(pattern, value, StringComparison.Ordinal),
        "StringLike" or "ArnLike" => Matches(pattern, value, ignoreCase: false),
        "NumericEquals" => Number(value) == Number(pattern),
        "NumericLessThan" => Number(value) < Number(pattern),
        "NumericLessThanEquals" => Number(value) <= Number(pattern),
        "NumericGreaterThan" => Number(value) > Number(pattern),
        "NumericGreaterThanEquals" => Number(value) >= Number(pattern),
        _ => throw new NotSupportedException($"condition operator {comparison}"),
    };

    private static decimal Number(string value) => decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(Text) : [Text(element)];

    private static string Text(JsonElement element) => element.ValueKind == JsonValueKind.Number ? element.GetRawText() : element.GetString()!;

    internal static bool Matches(string pattern, string value, bool ignoreCase) =>
        Regex.IsMatch(
            value,
            "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
}
