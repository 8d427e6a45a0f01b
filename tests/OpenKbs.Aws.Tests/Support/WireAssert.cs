using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>Compares our request with the JS SDK's for the same logical call, per protocol, ignoring members that differ by design (names, tokens).</summary>
internal static class WireAssert
{
    /// <summary>Same method, same (decoded) path with <paramref name="ours"/>' names mapped, same query.</summary>
    public static void SameRoute(WireRequest expected, WireRequest actual, params (string Theirs, string Ours)[] renames)
    {
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(Rename(Uri.UnescapeDataString(expected.Path), renames), Uri.UnescapeDataString(actual.Path));
        Assert.Equal(expected.SortedQuery.Select(q => Rename(q, renames)), actual.SortedQuery);
    }

    /// <summary>JSON bodies equal as JSON (member order and whitespace aside), without the <paramref name="ignored"/> members at any depth.</summary>
    public static void SameJson(string expected, string actual, params string[] ignored)
    {
        var left = Strip(JsonNode.Parse(string.IsNullOrEmpty(expected) ? "{}" : expected), ignored);
        var right = Strip(JsonNode.Parse(string.IsNullOrEmpty(actual) ? "{}" : actual), ignored);
        Assert.True(JsonNode.DeepEquals(left, right), $"JSON bodies differ:\n JS:   {left?.ToJsonString()}\n ours: {right?.ToJsonString()}");
    }

    /// <summary>awsQuery bodies: the same parameters (order aside), without the <paramref name="ignored"/> parameter names.</summary>
    public static void SameQuery(string expected, string actual, params string[] ignored)
    {
        static IEnumerable<string> Parameters(string body, string[] ignored) =>
            body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .Select(p => (Key: Uri.UnescapeDataString(p[0]), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty))
                .Where(p => !ignored.Contains(p.Key, StringComparer.Ordinal))
                .Select(p => $"{p.Key}={p.Value}")
                .Order(StringComparer.Ordinal);
        Assert.Equal(Parameters(expected, ignored), Parameters(actual, ignored));
    }

    /// <summary>
    /// XML payloads with the same elements and text, without the <paramref name="ignored"/> elements. Sibling order is compared by
    /// element name only (repeated items keep their order): the SDKs do not agree on member order (the JS SDK writes an
    /// OriginAccessControlConfig's Description last, botocore's model second), so CloudFront accepts either.
    /// </summary>
    public static void SameXml(string expected, string actual, params string[] ignored)
    {
        var left = Canonical(XElement.Parse(expected), ignored);
        var right = Canonical(XElement.Parse(actual), ignored);
        Assert.Equal(left, right);
    }

    private static string Canonical(XElement element, string[] ignored)
    {
        if (!element.HasElements)
        {
            return $"<{element.Name.LocalName}>{element.Value}</{element.Name.LocalName}>";
        }

        var children = element.Elements()
            .Where(e => !ignored.Contains(e.Name.LocalName, StringComparer.Ordinal))
            .OrderBy(e => e.Name.LocalName, StringComparer.Ordinal)
            .Select(e => Canonical(e, ignored));
        return $"<{element.Name.LocalName}>{string.Concat(children)}</{element.Name.LocalName}>";
    }

    private static JsonNode? Strip(JsonNode? node, string[] ignored)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (ignored.Contains(name, StringComparer.Ordinal))
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        Strip(obj[name], ignored);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item, ignored);
                }

                break;
        }

        return node;
    }

    private static string Rename(string value, (string Theirs, string Ours)[] renames)
    {
        foreach (var (theirs, ours) in renames)
        {
            value = value.Replace(theirs, ours, StringComparison.Ordinal);
        }

        return value;
    }
}
