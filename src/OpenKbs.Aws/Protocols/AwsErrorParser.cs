using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Protocols;

/// <summary>
/// Parses error responses per protocol (aws-wire-protocols.md §1; botocore parsers.py):
/// awsJson: body <c>__type</c>, then <c>code</c>/<c>Code</c>, then the <c>x-amzn-ErrorType</c> header;
/// restJson1: the <c>x-amzn-ErrorType</c> header first, then the body;
/// both: a <c>x-amzn-query-error: Code;Sender</c> header (awsQueryCompatible services) wins;
/// codes are normalised (everything up to the last '#' and from the first ':' removed); the message is read case-insensitively.
/// awsQuery: <c>ErrorResponse/Error/Code</c>; restXml: the wrapped <c>ErrorResponse/Error</c> (CloudFront) or the bare
/// <c>Error</c> root (S3). A body-less error (S3 HEAD) gets a code from the status (<c>NotFound</c>, <c>Forbidden</c>, …).
/// </summary>
internal static class AwsErrorParser
{
    public static AwsErrorInfo Parse(AwsProtocol protocol, AwsWireResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var info = protocol switch
        {
            AwsProtocol.AwsJson10 or AwsProtocol.AwsJson11 => ParseJson(response, headerFirst: false),
            AwsProtocol.RestJson1 => ParseJson(response, headerFirst: true),
            _ => ParseXml(response),
        };

        var queryError = response.Header("x-amzn-query-error");
        if (!string.IsNullOrEmpty(queryError) && protocol is AwsProtocol.AwsJson10 or AwsProtocol.AwsJson11 or AwsProtocol.RestJson1)
        {
            var code = queryError.Split(';', 2)[0].Trim();
            if (code.Length > 0)
            {
                info = info with { Code = code };
            }
        }

        return info;
    }

    /// <summary>Strips a namespace prefix (<c>…#Code</c>) and a suffix (<c>Code:http://…</c>).</summary>
    public static string NormalizeCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        return code.Trim();
    }

    private static AwsErrorInfo ParseJson(AwsWireResponse response, bool headerFirst)
    {
        string? bodyCode = null;
        string? message = null;
        string? reason = null;
        string? type = null;
        string? requestId = null;
        if (response.Body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                        switch (property.Name)
                        {
                            case "__type":
                                bodyCode = text ?? bodyCode;
                                break;
                            case "code" or "Code":
                                bodyCode ??= text;
                                break;
                            case "Reason" or "reason":
                                reason = text;
                                break;
                            case "Type" or "type":
                                type = text;
                                break;
                            case "RequestId" or "requestId":
                                requestId = text;
                                break;
                            default:
                                if (string.Equals(property.Name, "message", StringComparison.OrdinalIgnoreCase))
                                {
                                    message = text;
                                }

                                break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                message = null;
            }
        }

        var headerCode = response.Header("x-amzn-ErrorType");
        var raw = headerFirst ? headerCode ?? bodyCode : bodyCode ?? headerCode;
        var code = raw is null ? CodeFromStatus(response.StatusCode) : NormalizeCode(raw);
        return new AwsErrorInfo(code, message, response.RequestIdHeader ?? requestId, reason, type);
    }

    private static AwsErrorInfo ParseXml(AwsWireResponse response)
    {
        if (response.Body.Length > 0)
        {
            try
            {
                var root = XDocument.Parse(Encoding.UTF8.GetString(response.Body)).Root;
                if (root is not null)
                {
                    var error = XmlShapeReader.Find(root, "Error") ?? root;
                    var code = XmlShapeReader.Child(error, "Code")?.Value;
                    var message = XmlShapeReader.Child(error, "Message")?.Value;
                    var type = XmlShapeReader.Child(error, "Type")?.Value;
                    var requestId = XmlShapeReader.Find(root, "RequestId")?.Value;
                    return new AwsErrorInfo(
                        string.IsNullOrEmpty(code) ? CodeFromStatus(response.StatusCode) : NormalizeCode(code),
                        message,
                        response.RequestIdHeader ?? requestId,
                        Reason: null,
                        type);
                }
            }
            catch (XmlException)
            {
                // Not XML (a proxy's HTML error page): fall through to the status code.
            }
        }

        return new AwsErrorInfo(CodeFromStatus(response.StatusCode), null, response.RequestIdHeader, null, null);
    }

    private static string CodeFromStatus(HttpStatusCode status) => (int)status switch
    {
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequestsException",
        500 => "InternalError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
