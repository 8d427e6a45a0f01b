using System.Net.Http.Headers;
using System.Security;
using System.Text;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// PutBucketAcl with <c>x-amz-grant-*</c> headers as AWS applies it, where moto 5.2.1 does not: AWS turns every grantee of a
/// header (<c>x-amz-grant-full-control: id="owner", id="other"</c>) into a grant of its own, moto keeps one grant per header
/// and answers GetBucketAcl with only its first grantee, so a second FULL_CONTROL grantee (CloudFront's log delivery next to the
/// bucket owner) is lost. This module sends moto the same grants as the equivalent AccessControlPolicy body, one Grant per
/// grantee (the owner element moto requires names the caller; the bucket keeps its owner). On always.
/// </summary>
internal sealed class S3AclRealism : IRealismModule
{
    private const string Prefix = "x-amz-grant-";

    public bool Handles(AwsRequestInfo request) => request.Service == "s3" && request.Operation == "PutBucketAcl";

    public void Reset()
    {
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var headers = request.Headers.Where(h => h.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (headers.Count == 0)
        {
            return await context.ForwardAsync(cancellationToken);
        }

        var grants = new StringBuilder();
        foreach (var (name, values) in headers)
        {
            var permission = name[Prefix.Length..].ToUpperInvariant().Replace("-ACP", "_ACP", StringComparison.Ordinal).Replace('-', '_');
            foreach (var grantee in Grantees(string.Join(',', values)))
            {
                grants.Append(Grant(grantee.Key, grantee.Value, permission));
            }

            request.Headers.Remove(name);
        }

        var body = $"<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>sandbox</ID></Owner><AccessControlList>{grants}</AccessControlList></AccessControlPolicy>";
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        foreach (var checksum in request.Headers.Select(h => h.Key).Where(k => k.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase) || k.StartsWith("x-amz-sdk-checksum", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            request.Headers.Remove(checksum);
        }

        context.Count("S3AclGrantsSplit");
        return await context.ForwardAsync(cancellationToken);
    }

    /// <summary>The grantees of one header value: <c>id="…"</c>, <c>uri="…"</c> or <c>emailAddress="…"</c>, comma-separated.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> Grantees(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .Select(p => KeyValuePair.Create(p[0].Trim().ToLowerInvariant(), p[1].Trim().Trim('"')));

    private static string Grant(string kind, string value, string permission)
    {
        var (type, element) = kind switch
        {
            "uri" => ("Group", "URI"),
            "emailaddress" => ("AmazonCustomerByEmail", "EmailAddress"),
            _ => ("CanonicalUser", "ID"),
        };
        return $"<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"{type}\"><{element}>{SecurityElement.Escape(value)}</{element}></Grantee><Permission>{permission}</Permission></Grant>";
    }
}
