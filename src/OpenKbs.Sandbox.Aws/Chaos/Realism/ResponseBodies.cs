using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>Reads and replaces answer bodies, keeping the answer's content type.</summary>
internal static class ResponseBodies
{
    public static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return bytes.Length == 0 ? null : JsonNode.Parse(bytes) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static void SetJson(HttpResponseMessage response, JsonNode json) => Replace(response, Encoding.UTF8.GetBytes(json.ToJsonString()));

    public static async Task<XDocument?> ReadXmlAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : XDocument.Parse(text, LoadOptions.PreserveWhitespace);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    public static void SetXml(HttpResponseMessage response, XDocument document)
    {
        var declaration = document.Declaration is null ? string.Empty : document.Declaration + "\n";
        Replace(response, Encoding.UTF8.GetBytes(declaration + document.Root!.ToString(SaveOptions.DisableFormatting)));
    }

    /// <summary>Elements named <paramref name="localName"/> anywhere below <paramref name="root"/>, whatever their namespace.</summary>
    public static IEnumerable<XElement> All(XContainer root, string localName) => root.Descendants().Where(e => e.Name.LocalName == localName);

    /// <summary>The first child element named <paramref name="localName"/>.</summary>
    public static XElement? Child(XElement parent, string localName) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>Sets (or adds) a child element's text.</summary>
    public static void SetChild(XElement parent, string localName, string value)
    {
        var child = Child(parent, localName);
        if (child is null)
        {
            parent.Add(new XElement(parent.Name.Namespace + localName, value));
        }
        else
        {
            child.Value = value;
        }
    }

    /// <summary>Replaces a header that may not follow .NET's validation rules (e.g. an unquoted ETag).</summary>
    public static void SetHeader(HttpResponseMessage response, string name, string value)
    {
        response.Headers.Remove(name);
        response.Headers.TryAddWithoutValidation(name, value);
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static void Replace(HttpResponseMessage response, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        foreach (var header in response.Content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Content-MD5", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = content;
    }
}
