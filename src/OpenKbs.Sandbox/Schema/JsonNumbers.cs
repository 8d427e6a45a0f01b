using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// Numbers as Kubernetes' unstructured JSON decoder sees them: a literal without fraction or exponent is an int64,
/// anything else a float64.
/// </summary>
internal static class JsonNumbers
{
    /// <summary>True when <paramref name="node"/> is a JSON number; <paramref name="isInteger"/> tells int64 from float64.</summary>
    public static bool TryGetNumber(JsonNode? node, out bool isInteger, out long integer, out double number)
    {
        isInteger = false;
        integer = 0;
        number = 0;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetValue<JsonElement>(out var element))
        {
            var raw = element.GetRawText();
            if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer))
            {
                isInteger = true;
                number = integer;
                return true;
            }

            number = element.GetDouble();
            return true;
        }

        if (value.TryGetValue<long>(out integer) || TryGetSmallInteger(value, out integer))
        {
            isInteger = true;
            number = integer;
            return true;
        }

        if (value.TryGetValue<ulong>(out var unsigned))
        {
            number = unsigned;
            return true;
        }

        if (value.TryGetValue<double>(out number))
        {
            return true;
        }

        if (value.TryGetValue<float>(out var single))
        {
            number = single;
            return true;
        }

        if (value.TryGetValue<decimal>(out var dec))
        {
            number = (double)dec;
            return true;
        }

        number = JsonSerializer.Deserialize<double>(value.ToJsonString());
        return true;
    }

    /// <summary>True for a JSON number whose value is integral (an int64 literal, or a float64 such as 1.0).</summary>
    public static bool IsIntegral(JsonNode? node) =>
        TryGetNumber(node, out var isInteger, out _, out var number) && (isInteger || (double.IsFinite(number) && Math.Floor(number) == number));

    private static bool TryGetSmallInteger(JsonValue value, out long integer)
    {
        if (value.TryGetValue<int>(out var i))
        {
            integer = i;
            return true;
        }

        if (value.TryGetValue<short>(out var s))
        {
            integer = s;
            return true;
        }

        if (value.TryGetValue<byte>(out var b))
        {
            integer = b;
            return true;
        }

        if (value.TryGetValue<uint>(out var u))
        {
            integer = u;
            return true;
        }

        integer = 0;
        return false;
    }
}
