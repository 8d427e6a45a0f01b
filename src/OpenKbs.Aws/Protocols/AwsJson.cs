using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenKbs.Aws.Protocols;

/// <summary>
/// JSON settings for awsJson and restJson1 bodies: member names exactly as declared (the records use the AWS member names),
/// nulls omitted, timestamps as epoch seconds, blobs (byte[]) as base64 (System.Text.Json's default).
/// </summary>
internal static class AwsJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static byte[] Serialize(object? value) =>
        value is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    public static T Deserialize<T>(byte[] body)
        where T : new() =>
        body.Length == 0 ? new T() : JsonSerializer.Deserialize<T>(body, Options) ?? new T();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = null,
            PropertyNameCaseInsensitive = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,

            // 'required' on a record is a compile-time promise to callers; on the wire AWS may omit members, and members bound
            // to the path ([JsonIgnore]) may be required too, which System.Text.Json would otherwise refuse.
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers = { static info => { foreach (var property in info.Properties) { property.IsRequired = false; } } },
            },
        };
        options.Converters.Add(new EpochSecondsConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>AWS JSON timestamps: epoch seconds (may be fractional). ISO-8601 strings are accepted on read, as botocore does.</summary>
    private sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                var seconds = reader.GetDouble();
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000d));
            }

            var text = reader.GetString();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(parsed * 1000d));
            }

            return DateTimeOffset.Parse(text ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            var ms = value.ToUnixTimeMilliseconds();
            if (ms % 1000 == 0)
            {
                writer.WriteNumberValue(ms / 1000);
            }
            else
            {
                writer.WriteNumberValue(ms / 1000d);
            }
        }
    }
}
