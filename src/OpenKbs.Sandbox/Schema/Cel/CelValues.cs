using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// Converts JSON into the values the Cel package evaluates, guided by the declared CEL type (UnstructuredToVal):
/// objects become dictionaries keyed by escaped field names (only declared fields), maps keep their keys, integers
/// are int64, numbers double, date-time strings timestamps, duration strings durations, byte strings bytes.
/// </summary>
internal static partial class CelValues
{
    public static object? From(JsonNode? node, CelType? type)
    {
        if (node is null)
        {
            return null;
        }

        switch (type?.Kind)
        {
            case CelTypeKind.Object when node is JsonObject obj:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (escaped, fieldType) in type.Fields!)
                {
                    var property = type.PropertyNames![escaped];
                    if (obj.TryGetPropertyValue(property, out var child))
                    {
                        result[escaped] = From(child, fieldType);
                    }
                }

                return result;
            case CelTypeKind.Map when node is JsonObject map:
                return map.ToDictionary(p => p.Key, p => From(p.Value, type.Elem), StringComparer.Ordinal);
            case CelTypeKind.List when node is JsonArray list:
                return list.Select(item => From(item, type.Elem)).ToList();
            case CelTypeKind.Timestamp when JsonKind.AsString(node) is { } ts && TryParseTimestamp(ts, out var timestamp):
                return timestamp;
            case CelTypeKind.Duration when JsonKind.AsString(node) is { } d && TryParseDuration(d, out var duration):
                return duration;
            case CelTypeKind.Bytes when JsonKind.AsString(node) is { } b:
                try
                {
                    return Convert.FromBase64String(b);
                }
                catch (FormatException)
                {
                    return b;
                }

            case CelTypeKind.Double when JsonNumbers.TryGetNumber(node, out _, out _, out var number):
                return number;
        }

        return Generic(node);
    }

    private static object? Generic(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                return obj.ToDictionary(p => p.Key, p => Generic(p.Value), StringComparer.Ordinal);
            case JsonArray arr:
                return arr.Select(Generic).ToList();
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        return v.GetValue<string>();
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Number:
                        JsonNumbers.TryGetNumber(v, out var isInteger, out var integer, out var number);
                        return isInteger ? (object)integer : number;
                    default:
                        return null;
                }

            default:
                return null;
        }
    }

    /// <summary>An RFC 3339 timestamp (a date alone is midnight UTC).</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);

    /// <summary>Go time.ParseDuration, plus the "d" and "w" units strfmt accepts.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s is "0" or "+0" or "-0")
        {
            return true;
        }

        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        var matches = DurationPart().Matches(s);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != s)
        {
            return false;
        }

        double ticks = 0;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups[2].Value switch
            {
                "ns" => value / 100,
                "us" or "µs" or "μs" => value * 10,
                "ms" => value * TimeSpan.TicksPerMillisecond,
                "s" => value * TimeSpan.TicksPerSecond,
                "m" => value * TimeSpan.TicksPerMinute,
                "h" => value * TimeSpan.TicksPerHour,
                "d" => value * TimeSpan.TicksPerDay,
                _ => value * TimeSpan.TicksPerDay * 7,
            };
        }

        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    [GeneratedRegex(@"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h|d|w)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
