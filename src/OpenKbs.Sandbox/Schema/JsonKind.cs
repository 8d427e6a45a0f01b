using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>The JSON type names kube-openapi infers from a decoded value ("object", "array", "string", "integer", ...).</summary>
internal static class JsonKind
{
    /// <summary>The OpenAPI type of a value: "null", "object", "array", "string", "boolean", "integer" or "number".</summary>
    public static string Of(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => JsonNumbers.TryGetNumber(v, out var isInteger, out _, out _) && isInteger ? "integer" : "number",
            JsonValueKind.Null => "null",
            _ => "object",
        },
        _ => "object",
    };

    /// <summary>The string content of a JSON string value, or null.</summary>
    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>True for JSON null (a missing C# node or an explicit null value).</summary>
    public static bool IsNull(JsonNode? node) => node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);
}
