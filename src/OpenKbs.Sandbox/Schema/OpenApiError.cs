using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>A kube-openapi errors.Validation (or a composite error when <see cref="Code"/> is Composite).</summary>
internal sealed record OpenApiError(OpenApiErrorCode Code, string Name, JsonNode? Value, string Message)
{
    /// <summary>errors.Validation.Valid: the limit that was exceeded (maxLength, maxItems, maxProperties).</summary>
    public long Limit { get; init; }

    /// <summary>errors.Validation.Values: the allowed enum values.</summary>
    public JsonArray? EnumValues { get; init; }

    /// <summary>
    /// kubeOpenAPIResultToFieldErrors: turns the error into apimachinery's field error under <paramref name="prefix"/>
    /// (null for the object root).
    /// </summary>
    public FieldError ToFieldError(string? prefix)
    {
        if (Code == OpenApiErrorCode.Composite)
        {
            return FieldError.Invalid(FieldPaths.Render(prefix), JsonValue.Create(""), Message);
        }

        var name = Name.StartsWith('.') ? Name[1..] : Name;
        var path = FieldPaths.Render(name.Length > 0 && Name != "." ? FieldPaths.Child(prefix, name) : prefix);
        var value = Value?.DeepClone() ?? JsonValue.Create("");
        return Code switch
        {
            OpenApiErrorCode.Required => FieldError.Required(path, ""),
            OpenApiErrorCode.Enum => FieldError.NotSupported(path, Value?.DeepClone(), (EnumValues ?? []).Select(v => JsonKind.AsString(v) ?? (v?.ToJsonString() ?? "null"))),
            OpenApiErrorCode.TooLong => FieldError.TooLong(path, Limit),
            OpenApiErrorCode.MaxItems or OpenApiErrorCode.TooManyProperties => FieldError.TooMany(path, JsonNumbers.TryGetNumber(Value, out _, out var actual, out _) ? actual : -1, Limit),
            OpenApiErrorCode.InvalidType => FieldError.TypeInvalid(path, value, Message),
            _ => FieldError.Invalid(path, value, Message),
        };
    }
}
