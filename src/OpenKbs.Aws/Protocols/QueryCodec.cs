using System.Text;
using System.Xml.Linq;
using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Protocols;

/// <summary>awsQuery: POST / with a form body <c>Action={Op}&amp;Version={ApiVersion}&amp;…</c>; results read from <c>{Op}Response/{Op}Result</c>.</summary>
internal static class QueryCodec
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public static AwsWireRequest CreateRequest(AwsService service, string operation, object? input)
    {
        ArgumentNullException.ThrowIfNull(service);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("Action", operation),
            new("Version", service.ApiVersion),
        };
        QuerySerializer.Write(input, parameters);
        return new AwsWireRequest
        {
            Method = HttpMethod.Post,
            Path = "/",
            Body = Encoding.UTF8.GetBytes(FormEncode(parameters)),
            ContentType = ContentType,
        };
    }

    public static string FormEncode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{AwsUriEncoding.Encode(p.Key)}={AwsUriEncoding.Encode(p.Value)}"));

    /// <summary>Reads <c>{operation}Result</c> (or the given wrapper) into <typeparamref name="T"/>; an empty result gives a new T.</summary>
    public static T ReadResult<T>(AwsWireResponse response, string operation, string? resultWrapper = null)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Body.Length == 0)
        {
            return new T();
        }

        var root = XDocument.Parse(Encoding.UTF8.GetString(response.Body)).Root;
        if (root is null)
        {
            return new T();
        }

        var result = XmlShapeReader.Find(root, resultWrapper ?? operation + "Result");
        return XmlShapeReader.Read<T>(result);
    }

    /// <summary>The RequestId of a query response (ResponseMetadata/RequestId).</summary>
    public static string? ReadRequestId(AwsWireResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Body.Length == 0)
        {
            return null;
        }

        try
        {
            var root = XDocument.Parse(Encoding.UTF8.GetString(response.Body)).Root;
            return root is null ? null : XmlShapeReader.Find(root, "RequestId")?.Value;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}
