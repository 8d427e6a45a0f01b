using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>
/// Prints a JSON value the way Go's fmt %v prints the unstructured value (map[k:v], [a b], 1.5, true):
/// what the API server puts into a Table cell of a printer column of type string.
/// </summary>
internal static class GoFormat
{
    public static string Print(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("<nil>");
                break;
            case JsonObject o:
                sb.Append("map[");
                var first = true;
                foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }

                    first = false;
                    sb.Append(kv.Key).Append(':');
                    Append(sb, kv.Value);
                }

                sb.Append(']');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }

                    Append(sb, a[i]);
                }

                sb.Append(']');
                break;
            case JsonValue v:
                if (v.TryGetValue<string>(out var s))
                {
                    sb.Append(s);
                }
                else if (v.TryGetValue<bool>(out var b))
                {
                    sb.Append(b ? "true" : "false");
                }
                else if (v.TryGetValue<long>(out var l))
                {
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                }
                else if (v.TryGetValue<double>(out var d))
                {
                    sb.Append(Float(d));
                }
                else
                {
                    sb.Append(v.ToJsonString());
                }

                break;
        }
    }

    /// <summary>Go's %v for float64 (strconv 'g' with shortest precision, exponent when &lt; 1e-4 or &gt;= 1e21).</summary>
    public static string Float(double d)
    {
        if (double.IsPositiveInfinity(d))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(d))
        {
            return "-Inf";
        }

        if (double.IsNaN(d))
        {
            return "NaN";
        }

        var abs = Math.Abs(d);
        if (abs != 0 && (abs < 1e-4 || abs >= 1e21))
        {
            var shortest = d.ToString("R", CultureInfo.InvariantCulture);
            if (shortest.Contains('E', StringComparison.Ordinal))
            {
                var parts = shortest.Split('E');
                var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
                return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
            }

            var e = (int)Math.Floor(Math.Log10(abs));
            var mantissa = d / Math.Pow(10, e);
            return $"{mantissa.ToString("R", CultureInfo.InvariantCulture)}e{(e < 0 ? "-" : "+")}{Math.Abs(e):00}";
        }

        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
