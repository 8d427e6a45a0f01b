using System.Text;
using System.Xml.Linq;

namespace OpenKbs.Aws.Protocols;

/// <summary>restXml (CloudFront; S3 uses the official SDK): REST paths, an XML payload whose root is the payload member's locationName.</summary>
internal static class RestXmlCodec
{
    public static AwsWireRequest CreateRequest(
        HttpMethod method,
        string path,
        XElement? payload,
        IEnumerable<KeyValuePair<string, string>>? query = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var request = new AwsWireRequest
        {
            Method = method,
            Path = path,
            Body = payload is null ? null : XmlShapeWriter.ToBytes(payload),
            ContentType = payload is null ? null : "application/xml",
        };
        foreach (var pair in query ?? [])
        {
            request.Query.Add(pair);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers[name] = value;
        }

        return request;
    }

    /// <summary>Reads the document root into <typeparamref name="T"/> (e.g. the <c>&lt;Distribution&gt;</c> of a CreateDistribution answer).</summary>
    public static T ReadBody<T>(AwsWireResponse response)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Body.Length == 0)
        {
            return new T();
        }

        var root = XDocument.Parse(Encoding.UTF8.GetString(response.Body)).Root;
        return XmlShapeReader.Read<T>(root);
    }
}
