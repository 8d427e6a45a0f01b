using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>JSON helpers: compact UTF-8 serialization, parsing with API-style errors, metadata accessors.</summary>
internal static class KubeJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteTo(JsonNode node, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        node.WriteTo(writer);
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        var node = JsonNode.Parse(utf8, null, new JsonDocumentOptions { MaxDepth = 10_000 });
        return node as JsonObject ?? throw new InvalidOperationException("not a JSON object");
    }

    /// <summary>Parses a request body as a JSON object, failing the way the API server does for malformed input.</summary>
    public static JsonObject ParseRequestObject(ReadOnlySpan<byte> utf8, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, null, new JsonDocumentOptions { MaxDepth = 10_000 });
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"{what}: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw ApiException.BadRequest($"{what}: {ex.Message}");
        }

        return node as JsonObject ?? throw ApiException.BadRequest($"{what}: Object 'Kind' is missing in '{System.Text.Encoding.UTF8.GetString(utf8)}'");
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }

        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? GetString(JsonObject? obj, string property) =>
        obj?[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string? GetString(JsonObject? obj, string property, string nested)
        => GetString(obj?[property] as JsonObject, nested);

    public static long? GetLong(JsonObject? obj, string property)
    {
        if (obj?[property] is JsonValue v)
        {
            if (v.TryGetValue<long>(out var l))
            {
                return l;
            }

            if (v.TryGetValue<double>(out var d))
            {
                return (long)d;
            }
        }

        return null;
    }

    public static IReadOnlyList<string> GetStringList(JsonObject? obj, string property)
    {
        if (obj?[property] is not JsonArray a || a.Count == 0)
        {
            return [];
        }

        var list = new List<string>(a.Count);
        foreach (var item in a)
        {
            if (item is JsonValue v && v.TryGetValue<string>(out var s))
            {
                list.Add(s);
            }
        }

        return list;
    }

    /// <summary>Deep equality ignoring property order, with numbers compared by value.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rfc3339Micro(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string? s, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>A JSON string literal (with quotes) for embedding into hand-written JSON.</summary>
    public static string Quote(string s) => JsonSerializer.Serialize(s, SerializerOptions);
}
