using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// One field validation error, the C# twin of apimachinery's field.Error. <see cref="Field"/> is the path exactly as
/// kubectl prints it ("spec.functions[3].name", "metadata.labels", or "&lt;nil&gt;" for errors without a field),
/// <see cref="BadValue"/> the offending value (JSON null means Go's nil). <see cref="ErrorBody"/> and
/// <see cref="ToString"/> render the message byte for byte as kube-apiserver does.
/// </summary>
public sealed record FieldError(string Field, FieldErrorType Type, string Detail, JsonNode? BadValue)
{
    /// <summary>The field path kube-apiserver prints for errors not tied to a field (a nil field.Path).</summary>
    public const string NilField = "<nil>";

    /// <summary>Set when the value must not be printed (field.TooMany with an unknown count).</summary>
    public bool OmitValue { get; init; }

    /// <summary>The message without the field: "Invalid value: \"x\": detail" (field.Error.ErrorBody()).</summary>
    public string ErrorBody => GoFormat.ErrorBody(this);

    /// <summary>"field: body", the text kubectl shows (field.Error.Error()).</summary>
    public override string ToString() => $"{Field}: {ErrorBody}";

    /// <summary>field.Invalid.</summary>
    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.Invalid, detail, value);

    /// <summary>field.TypeInvalid.</summary>
    public static FieldError TypeInvalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.TypeInvalid, detail, value);

    /// <summary>field.Required.</summary>
    public static FieldError Required(string field, string detail) => new(field, FieldErrorType.Required, detail, JsonValue.Create(""));

    /// <summary>field.Forbidden.</summary>
    public static FieldError Forbidden(string field, string detail) => new(field, FieldErrorType.Forbidden, detail, JsonValue.Create(""));

    /// <summary>field.Duplicate.</summary>
    public static FieldError Duplicate(string field, JsonNode? value) => new(field, FieldErrorType.Duplicate, "", value);

    /// <summary>field.NotSupported: detail "supported values: \"a\", \"b\"".</summary>
    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> validValues)
    {
        var quoted = validValues.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : "";
        return new FieldError(field, FieldErrorType.NotSupported, detail, value);
    }

    /// <summary>field.TooLong: "may not be more than N bytes" (the value is never printed).</summary>
    public static FieldError TooLong(string field, long maxLength)
    {
        var detail = maxLength >= 0 ? $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}" : "value is too long";
        return new FieldError(field, FieldErrorType.TooLong, detail, JsonValue.Create("<value omitted>"));
    }

    /// <summary>field.TooMany: "must have at most N items".</summary>
    public static FieldError TooMany(string field, long actual, long max)
    {
        var detail = max >= 0 ? $"must have at most {max} {(max == 1 ? "item" : "items")}" : "has too many items";
        return actual >= 0
            ? new FieldError(field, FieldErrorType.TooMany, detail, JsonValue.Create(actual))
            : new FieldError(field, FieldErrorType.TooMany, detail, null) { OmitValue = true };
    }

    /// <summary>field.InternalError.</summary>
    public static FieldError Internal(string field, string detail) => new(field, FieldErrorType.Internal, detail, null);
}
