using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>
/// YAML (multi-document) to JSON conversion with the scalar resolution of sigs.k8s.io/yaml (go-yaml v2, YAML 1.1):
/// plain scalars become null, booleans (true/yes/on/...), integers, floats, else strings; quoted scalars stay strings.
/// </summary>
internal static partial class YamlJson
{
    public static IReadOnlyList<JsonNode?> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"error converting YAML to JSON: {ex.Message}", ex);
        }

        var docs = new List<JsonNode?>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode s && string.IsNullOrEmpty(s.Value) && s.Style == ScalarStyle.Plain)
            {
                continue;
            }

            docs.Add(Convert(doc.RootNode));
        }

        return docs;
    }

    public static JsonNode? ParseSingle(string yaml)
    {
        var docs = ParseDocuments(yaml);
        return docs.Count == 0 ? null : docs[0];
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode ks ? ks.Value ?? string.Empty : k.ToString();
                    if (key == "<<" && v is YamlMappingNode merge)
                    {
                        foreach (var (mk, mv) in merge.Children)
                        {
                            var mkey = ((YamlScalarNode)mk).Value ?? string.Empty;
                            if (!obj.ContainsKey(mkey))
                            {
                                obj[mkey] = Convert(mv);
                            }
                        }

                        continue;
                    }

                    obj[key] = Convert(v);
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(Convert(item));
                }

                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!!str" || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N":
                return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                return JsonValue.Create(value);
        }

        var plain = value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (IntRegex().IsMatch(plain) && long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (OctalRegex().IsMatch(plain))
        {
            var negative = plain.StartsWith('-');
            var digits = plain.TrimStart('+', '-')[1..];
            var octal = System.Convert.ToInt64(digits, 8);
            return JsonValue.Create(negative ? -octal : octal);
        }

        if (plain.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(plain.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (FloatRegex().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonNode.Parse(plain.StartsWith('+') ? plain[1..] : NormalizeFloat(plain));
        }

        return JsonValue.Create(value);
    }

    private static string NormalizeFloat(string s)
    {
        // JSON needs a digit before and after the dot.
        if (s.StartsWith('.'))
        {
            s = "0" + s;
        }
        else if (s.StartsWith("-.", StringComparison.Ordinal))
        {
            s = "-0" + s[1..];
        }

        if (s.EndsWith('.'))
        {
            s += "0";
        }

        return s.Replace(".e", ".0e", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntRegex();

    [GeneratedRegex("^[-+]?0[0-7]+$")]
    private static partial Regex OctalRegex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)$")]
    private static partial Regex FloatRegex();
}
