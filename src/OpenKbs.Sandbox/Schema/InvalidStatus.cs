using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// The metav1.Status body of a 422 Invalid response, built exactly as apimachinery's errors.NewInvalid does.
/// </summary>
public static class InvalidStatus
{
    /// <summary>
    /// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Kind.group \"name\" is invalid: ...",
    /// "reason":"Invalid","details":{"name","group","kind","causes":[{"reason","message","field"}]},"code":422}.
    /// </summary>
    public static JsonObject Build(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = string.IsNullOrEmpty(group) ? kind : kind + "." + group;
        var aggregate = Aggregate(errors);
        var message = aggregate.Length == 0
            ? $"{qualifiedKind} {GoFormat.Quote(name)} is invalid"
            : $"{qualifiedKind} {GoFormat.Quote(name)} is invalid: {aggregate}";

        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = error.Type.Reason(),
                ["message"] = error.ErrorBody,
                ["field"] = error.Field,
            });
        }

        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (!string.IsNullOrEmpty(group))
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = causes;

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = "Invalid",
            ["details"] = details,
            ["code"] = 422,
        };
    }

    /// <summary>
    /// ErrorList.ToAggregate().Error(): duplicates removed, one error printed bare, several as "[a, b]".
    /// </summary>
    public static string Aggregate(IReadOnlyList<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<string>();
        foreach (var error in errors)
        {
            var text = error.ToString();
            if (seen.Add(text))
            {
                messages.Add(text);
            }
        }

        return messages.Count switch
        {
            0 => "",
            1 => messages[0],
            _ => "[" + string.Join(", ", messages) + "]",
        };
    }
}
