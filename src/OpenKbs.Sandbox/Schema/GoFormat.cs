using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// Go's fmt verbs as apimachinery uses them in validation messages: %q (strconv.Quote), %v of int64/float64/bool,
/// and %#v of decoded JSON (map[string]interface {}{...}, []interface {}{...}).
/// </summary>
internal static class GoFormat
{
    /// <summary>field.Error.ErrorBody().</summary>
    public static string ErrorBody(FieldError error)
    {
        string s;
        switch (error.Type)
        {
            case FieldErrorType.Required:
            case FieldErrorType.Forbidden:
            case FieldErrorType.TooLong:
            case FieldErrorType.Internal:
                s = error.Type.Describe();
                break;
            default:
                s = error.OmitValue ? error.Type.Describe() : $"{error.Type.Describe()}: {Value(error.BadValue)}";
                break;
        }

        return error.Detail.Length != 0 ? $"{s}: {error.Detail}" : s;
    }

    /// <summary>How ErrorBody prints a bad value: strings quoted, scalars plain, compounds in Go syntax, nil as "null".</summary>
    public static string Value(JsonNode? value)
    {
        if (JsonKind.IsNull(value))
        {
            return Quote("null");
        }

        return value switch
        {
            JsonObject or JsonArray => GoSyntax(value),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
            _ => Plain(value),
        };
    }

    /// <summary>%v of a scalar (int64, float64, bool, string unquoted).</summary>
    public static string Plain(JsonNode? value)
    {
        if (JsonKind.IsNull(value))
        {
            return "<nil>";
        }

        if (JsonNumbers.TryGetNumber(value, out var isInteger, out var integer, out var number))
        {
            return isInteger ? integer.ToString(CultureInfo.InvariantCulture) : Float(number);
        }

        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True:
                    return "true";
                case JsonValueKind.False:
                    return "false";
                case JsonValueKind.String:
                    return v.GetValue<string>();
            }
        }

        return GoSyntax(value);
    }

    /// <summary>%#v of a decoded JSON value.</summary>
    public static string GoSyntax(JsonNode? value)
    {
        var sb = new StringBuilder();
        AppendGoSyntax(sb, value);
        return sb.ToString();
    }

    private static void AppendGoSyntax(StringBuilder sb, JsonNode? value)
    {
        switch (value)
        {
            case null:
                sb.Append("interface {}(nil)");
                return;
            case JsonObject obj:
                sb.Append("map[string]interface {}{");
                var first = true;
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    sb.Append(Quote(key)).Append(':');
                    AppendGoSyntax(sb, child);
                }

                sb.Append('}');
                return;
            case JsonArray arr:
                sb.Append("[]interface {}{");
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendGoSyntax(sb, arr[i]);
                }

                sb.Append('}');
                return;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                sb.Append(Quote(v.GetValue<string>()));
                return;
            default:
                sb.Append(Plain(value));
                return;
        }
    }

    /// <summary>strconv.Quote: double-quoted, Go escapes, printable Unicode kept as is.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            int rune = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                rune = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                sb.Append("\\ufffd");
                continue;
            }

            switch (rune)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }

            if (IsPrint(rune))
            {
                sb.Append(char.ConvertFromUtf32(rune));
            }
            else if (rune < ' ' || rune == 0x7f)
            {
                sb.Append("\\x").Append(rune.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (rune <= 0xffff)
            {
                sb.Append("\\u").Append(rune.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\U").Append(rune.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    private static bool IsPrint(int rune)
    {
        if (rune == ' ')
        {
            return true;
        }

        if (rune < 0x20 || rune == 0x7f)
        {
            return false;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(rune);
        return category switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>
    /// %v of a float64, i.e. strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form (1e+06) when the
    /// decimal exponent is below -4 or at least 6.
    /// </summary>
    public static string Float(double f)
    {
        if (double.IsNaN(f))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(f))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(f))
        {
            return "-Inf";
        }

        if (f == 0)
        {
            return double.IsNegative(f) ? "-0" : "0";
        }

        var negative = f < 0;
        var r = Math.Abs(f).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? r[..dot] : r;
        var fracPart = dot >= 0 ? r[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        var dp = intPart.Length + exponent - leadingZeros; // position of the decimal point relative to digits
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var exp = dp - 1;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (exp < -4 || exp >= 6)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exp < 0 ? '-' : '+');
            var absExp = Math.Abs(exp);
            sb.Append(absExp < 10 ? "0" + absExp.ToString(CultureInfo.InvariantCulture) : absExp.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        if (dp <= 0)
        {
            sb.Append("0.").Append('0', -dp).Append(digits);
        }
        else if (dp >= digits.Length)
        {
            sb.Append(digits).Append('0', dp - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, dp).Append('.').Append(digits, dp, digits.Length - dp);
        }

        return sb.ToString();
    }
}
