using System.Text;
using System.Web;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// Names the service and operation of a request the way an emulator must (reference §16): the
/// credential scope in Authorization names the service for every protocol; X-Amz-Target, Action= or
/// method + path name the operation.
/// </summary>
internal static class AwsRequestClassifier
{
    private static readonly Dictionary<string, string> TargetPrefixes = new(StringComparer.Ordinal)
    {
        ["AWSOrganizationsV20161128"] = "organizations",
        ["AWSEvents"] = "events",
        ["TrentService"] = "kms",
        ["AWSInsightsIndexService"] = "ce",
        ["GraniteServiceVersion20100801"] = "monitoring",
        ["AWSSecurityTokenServiceV20110615"] = "sts",
    };

    public static AwsRequestInfo Classify(HttpRequestMessage request, ReadOnlySpan<byte> body)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request needs a URI.");
        var (accessKey, region, scopeService) = CredentialScope(request, uri);
        var path = uri.AbsolutePath;
        var contentType = request.Content?.Headers.ContentType?.MediaType ?? string.Empty;

        if (Header(request, "X-Amz-Target") is { } target)
        {
            var dot = target.LastIndexOf('.');
            var prefix = dot > 0 ? target[..dot] : target;
            var operation = dot > 0 ? target[(dot + 1)..] : target;
            var service = scopeService ?? TargetPrefixes.GetValueOrDefault(prefix) ?? "unknown";
            var version = contentType.EndsWith("1.0", StringComparison.Ordinal) ? "1.0" : "1.1";
            return new AwsRequestInfo(service, operation, AwsProtocol.Json, region, accessKey, version);
        }

        if (string.Equals(Header(request, "smithy-protocol"), "rpc-v2-cbor", StringComparison.OrdinalIgnoreCase))
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var operation = segments.Length >= 4 && segments[2] == "operation" ? segments[3] : "unknown";
            var service = scopeService ?? (segments.Length >= 2 ? TargetPrefixes.GetValueOrDefault(segments[1]) : null) ?? "unknown";
            return new AwsRequestInfo(service, operation, AwsProtocol.Cbor, region, accessKey);
        }

        var action = QueryAction(uri, contentType, body);
        if (action is not null)
        {
            return new AwsRequestInfo(scopeService ?? "unknown", action, AwsProtocol.Query, region, accessKey);
        }

        var restService = scopeService ?? RestOperations.GuessService(uri, path);
        var restOperation = RestOperations.Name(restService, request.Method, uri, path, request);
        var protocol = restService is "s3" or "cloudfront" ? AwsProtocol.RestXml : AwsProtocol.RestJson;
        return new AwsRequestInfo(restService, restOperation, protocol, region, accessKey);
    }

    /// <summary>Access key, region and service from <c>Credential=AKID/date/region/service/aws4_request</c>.</summary>
    public static (string? AccessKey, string Region, string? Service) CredentialScope(HttpRequestMessage request, Uri uri)
    {
        string? credential = null;
        if (Header(request, "Authorization") is { } authorization)
        {
            var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = authorization.IndexOfAny([',', ' '], at);
                credential = authorization[(at + "Credential=".Length)..(end < 0 ? authorization.Length : end)];
            }
        }
        else if (uri.Query.Contains("X-Amz-Credential=", StringComparison.Ordinal))
        {
            credential = HttpUtility.ParseQueryString(uri.Query)["X-Amz-Credential"];
        }

        var parts = credential?.Split('/');
        return parts is { Length: >= 5 } ? (parts[0], parts[2], parts[3]) : (null, string.Empty, null);
    }

    public static string? Header(HttpRequestMessage request, string name)
    {
        if (request.Headers.NonValidated.TryGetValues(name, out var values))
        {
            return values.ToString();
        }

        return request.Content is not null && request.Content.Headers.NonValidated.TryGetValues(name, out var contentValues)
            ? contentValues.ToString()
            : null;
    }

    private static string? QueryAction(Uri uri, string contentType, ReadOnlySpan<byte> body)
    {
        if (contentType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && !body.IsEmpty)
        {
            var action = FormValue(Encoding.UTF8.GetString(body), "Action");
            if (action is not null)
            {
                return action;
            }
        }

        return uri.Query.Contains("Action=", StringComparison.Ordinal) ? HttpUtility.ParseQueryString(uri.Query)["Action"] : null;
    }

    /// <summary>One value of a form-encoded body.</summary>
    public static string? FormValue(string form, string name)
    {
        foreach (var pair in form.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (Uri.UnescapeDataString(key.Replace('+', ' ')) == name)
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }
}
