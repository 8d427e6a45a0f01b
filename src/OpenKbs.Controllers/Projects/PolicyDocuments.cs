using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// JSON policy documents (bucket, IAM, KMS) rendered and compared the way AWS treats them: compared by meaning (property order
/// and whitespace ignored; a one-element array equals its element), so a document AWS reformats is not mistaken for drift.
/// </summary>
internal static class PolicyDocuments
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The compact JSON text of <paramref name="document"/>.</summary>
    public static string Render(JsonNode document) => document.ToJsonString(Compact);

    /// <summary>True when both documents say the same (null or unparsable counts as different).</summary>
    public static bool Equivalent(string? current, string desired)
    {
        if (string.IsNullOrWhiteSpace(current))
        {
            return false;
        }

        try
        {
            return JsonNode.DeepEquals(Normalize(JsonNode.Parse(current)), Normalize(JsonNode.Parse(desired)));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonArray { Count: 1 } single => Normalize(single[0]),
        JsonArray array => new JsonArray([.. array.Select(Normalize).OrderBy(n => n?.ToJsonString(), StringComparer.Ordinal)]),
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonValue value => JsonValue.Create(value.ToString()),
        _ => null,
    };
}
