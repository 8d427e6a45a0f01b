using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Errors;

/// <summary>
/// One field error as k8s.io/apimachinery/pkg/util/validation/field.Error prints it
/// (`field: Invalid value: "x": detail`). Reason is the StatusCause type (FieldValueInvalid, FieldValueRequired, ...).
/// </summary>
internal sealed record KubeFieldError(string Field, string Reason, string Body)
{
    public override string ToString() => Field.Length == 0 ? Body : $"{Field}: {Body}";

    /// <summary>From the schema library's field error (same rendering as field.Error).</summary>
    public static KubeFieldError From(Schema.FieldError error) => new(error.Field, Schema.FieldErrorTypeExtensions.Reason(error.Type), error.ErrorBody);

    public static KubeFieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {GoValue(value)}{(detail.Length > 0 ? ": " + detail : string.Empty)}");

    public static KubeFieldError InvalidRaw(string field, string renderedValue, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {renderedValue}{(detail.Length > 0 ? ": " + detail : string.Empty)}");

    public static KubeFieldError Required(string field, string detail) =>
        new(field, "FieldValueRequired", detail.Length > 0 ? $"Required value: {detail}" : "Required value");

    public static KubeFieldError Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", detail.Length > 0 ? $"Forbidden: {detail}" : "Forbidden");

    public static KubeFieldError NotSupported(string field, JsonNode? value, IEnumerable<string> valid) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {GoValue(value)}: supported values: {string.Join(", ", valid.Select(v => "\"" + v + "\""))}");

    public static KubeFieldError Duplicate(string field, JsonNode? value) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: {GoValue(value)}");

    /// <summary>Renders a value the way field.Error does: strings quoted (%q), numbers and booleans plain.</summary>
    public static string GoValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Json.GoFormat.Print(value),
    };

    public static string Quote(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }
}
