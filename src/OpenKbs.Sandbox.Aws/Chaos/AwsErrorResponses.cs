using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>Builds AWS error answers in each protocol's exact format (reference §1).</summary>
internal static class AwsErrorResponses
{
    private static readonly Dictionary<string, string> QueryNamespaces = new(StringComparer.Ordinal)
    {
        ["iam"] = "https://iam.amazonaws.com/doc/2010-05-08/",
        ["sts"] = "https://sts.amazonaws.com/doc/2011-06-15/",
        ["rds"] = "http://rds.amazonaws.com/doc/2014-10-31/",
        ["monitoring"] = "http://monitoring.amazonaws.com/doc/2010-08-01/",
    };

    private const string CloudFrontNamespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    /// <summary>The error for an injected fault.</summary>
    public static HttpResponseMessage ForFault(AwsRequestInfo request, HttpMethod method, AwsFaultKind kind)
    {
        var faults = ServiceFaults.For(request);
        var response = kind switch
        {
            AwsFaultKind.Throttle => Create(request, method, faults.ThrottleStatus, faults.ThrottleCode, faults.ThrottleMessage, faults.ThrottleExtra),
            AwsFaultKind.InternalError => Create(request, method, 500, faults.InternalCode, "We encountered an internal error. Please try again."),
            AwsFaultKind.ServiceUnavailable => Create(request, method, 503, faults.UnavailableCode, "Service is unable to handle request."),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an HTTP error fault."),
        };
        if (kind == AwsFaultKind.Throttle && faults.RetryAfter)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        }

        return response;
    }

    /// <summary>An error answer in the request's protocol.</summary>
    public static HttpResponseMessage Create(AwsRequestInfo request, HttpMethod method, int status, string code, string message, IReadOnlyDictionary<string, string>? extra = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var response = new HttpResponseMessage((HttpStatusCode)status);
        var sender = status < 500 ? "Sender" : "Receiver";
        switch (request.Protocol)
        {
            case AwsProtocol.Json:
            {
                var body = new JsonObject { ["__type"] = code, [ServiceFaults.For(request).MessageField] = message };
                AddExtra(body, extra);
                response.Content = Json(body, "application/x-amz-json-" + request.JsonVersion);
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
                if (request.Service == "monitoring")
                {
                    response.Headers.TryAddWithoutValidation("x-amzn-query-error", code + ";" + sender);
                }

                break;
            }

            case AwsProtocol.RestJson:
            {
                var body = new JsonObject { [ServiceFaults.For(request).MessageField] = message };
                AddExtra(body, extra);
                response.Content = Json(body, "application/json");
                response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", code);
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
                break;
            }

            case AwsProtocol.Query:
            {
                XNamespace ns = QueryNamespaces.GetValueOrDefault(request.Service, string.Empty);
                var document = new XElement(
                    ns + "ErrorResponse",
                    new XElement(ns + "Error", new XElement(ns + "Type", sender), new XElement(ns + "Code", code), new XElement(ns + "Message", message)),
                    new XElement(ns + "RequestId", requestId));
                response.Content = Xml(document, "text/xml");
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
                break;
            }

            case AwsProtocol.RestXml when request.Service == "cloudfront":
            {
                XNamespace ns = CloudFrontNamespace;
                var document = new XElement(
                    ns + "ErrorResponse",
                    new XElement(ns + "Error", new XElement(ns + "Type", sender), new XElement(ns + "Code", code), new XElement(ns + "Message", message)),
                    new XElement(ns + "RequestId", requestId));
                response.Content = Xml(document, "text/xml");
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
                break;
            }

            case AwsProtocol.RestXml:
            {
                // S3 does not wrap its errors, and a HEAD answer has no body at all.
                var document = new XElement(
                    "Error",
                    new XElement("Code", code),
                    new XElement("Message", message),
                    new XElement("RequestId", requestId),
                    new XElement("HostId", "openkbs-aws-chaos"));
                response.Content = method == HttpMethod.Head ? new ByteArrayContent([]) : Xml(document, "application/xml");
                response.Headers.TryAddWithoutValidation("x-amz-request-id", requestId);
                response.Headers.TryAddWithoutValidation("x-amz-id-2", "openkbs-aws-chaos");
                break;
            }

            case AwsProtocol.Cbor:
            {
                var content = new ByteArrayContent(CborMap.Encode([new("__type", code), new("message", message)]));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
                response.Content = content;
                response.Headers.TryAddWithoutValidation("smithy-protocol", "rpc-v2-cbor");
                response.Headers.TryAddWithoutValidation("x-amzn-query-error", code + ";" + sender);
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
                break;
            }
        }

        return response;
    }

    /// <summary>A JSON answer with the given status (realism answers for the JSON protocols).</summary>
    public static HttpResponseMessage JsonAnswer(AwsRequestInfo request, HttpStatusCode status, JsonNode body)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = Json(body, request.Protocol == AwsProtocol.Json ? "application/x-amz-json-" + request.JsonVersion : "application/json"),
        };
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", Guid.NewGuid().ToString());
        return response;
    }

    private static void AddExtra(JsonObject body, IReadOnlyDictionary<string, string>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            body[key] = value;
        }
    }

    private static ByteArrayContent Json(JsonNode body, string mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static ByteArrayContent Xml(XElement document, string mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + document.ToString(SaveOptions.DisableFormatting)));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }
}
