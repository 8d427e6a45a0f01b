using System.Globalization;
using System.Text;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>Decodes CEL string literals ('...', "...", triple quotes, raw r'...') for constant checks.</summary>
internal static class CelLiterals
{
    public static bool TryUnquote(string token, out string value)
    {
        value = "";
        var raw = token.StartsWith('r') || token.StartsWith('R');
        var text = raw ? token[1..] : token;
        string body;
        if (text.Length >= 6 && (text.StartsWith("'''", StringComparison.Ordinal) || text.StartsWith("\"\"\"", StringComparison.Ordinal)))
        {
            body = text[3..^3];
        }
        else if (text.Length >= 2)
        {
            body = text[1..^1];
        }
        else
        {
            return false;
        }

        if (raw)
        {
            value = body;
            return true;
        }

        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                sb.Append(c);
                continue;
            }

            var n = body[++i];
            switch (n)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x' or 'X' when i + 2 < body.Length:
                    sb.Append((char)int.Parse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u' when i + 4 < body.Length:
                    sb.Append((char)int.Parse(body.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U' when i + 8 < body.Length:
                    sb.Append(char.ConvertFromUtf32(int.Parse(body.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default: sb.Append(n); break;
            }
        }

        value = sb.ToString();
        return true;
    }
}
