using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// S3 bucket policies as AWS evaluates them behind its TLS endpoint, where moto 5.2.1 does not: moto answers DENIED for any
/// statement whose condition it cannot verify, whatever the statement's effect, so a TLS-only policy (deny when
/// <c>aws:SecureTransport</c> is false) makes every object call 403 even though every request is over TLS, and a conditional
/// Allow (the CloudFront OAC grant, <c>AWS:SourceArn</c>) denies too. This module stands for the TLS-terminating endpoint:
/// it keeps the policy as written (GetBucketPolicy answers it byte for byte) and gives moto only the statements moto can
/// evaluate (those without a Condition). Requests through the sandbox are treated as TLS (<c>aws:SecureTransport</c> true), and
/// conditional grants name service principals (CloudFront) that never call the sandbox, so leaving both out of moto's copy
/// changes no answer a client of the sandbox can get. Keyed by bucket name (S3 bucket names are global). Spec key
/// <c>s3-tls</c>, on by default (with or without <c>realism</c>).
/// </summary>
internal sealed class S3PolicyRealism : IRealismModule
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _policies = new(StringComparer.Ordinal);

    public bool Handles(AwsRequestInfo request) =>
        request.Service == "s3" && request.Operation is "PutBucketPolicy" or "GetBucketPolicy" or "DeleteBucketPolicy" or "DeleteBucket";

    public void Reset()
    {
        lock (_gate)
        {
            _policies.Clear();
        }
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var bucket = BucketOf(context.Request.RequestUri!);
        switch (context.Info.Operation)
        {
            case "GetBucketPolicy":
                lock (_gate)
                {
                    if (bucket is not null && _policies.TryGetValue(bucket, out var stored))
                    {
                        context.Count("S3PolicyAsWritten");
                        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(stored, Encoding.UTF8, "application/json") };
                    }
                }

                return await context.ForwardAsync(cancellationToken);

            case "PutBucketPolicy":
                var text = context.Request.Content is null ? string.Empty : await context.Request.Content.ReadAsStringAsync(cancellationToken);
                if (bucket is null || Evaluable(text) is not { } evaluable)
                {
                    return await context.ForwardAsync(cancellationToken);
                }

                context.Request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(evaluable));
                var put = await context.ForwardAsync(cancellationToken);
                if (put.IsSuccessStatusCode)
                {
                    lock (_gate)
                    {
                        _policies[bucket] = text;
                    }
                }

                return put;

            default:
                var response = await context.ForwardAsync(cancellationToken);
                if (response.IsSuccessStatusCode && bucket is not null)
                {
                    lock (_gate)
                    {
                        _policies.Remove(bucket);
                    }
                }

                return response;
        }
    }

    /// <summary>The policy without its conditional statements (null when it is not a JSON policy: moto answers as it does).</summary>
    internal static string? Evaluable(string policy)
    {
        try
        {
            if (JsonNode.Parse(policy) is not JsonObject document)
            {
                return null;
            }

            var statements = document["Statement"] switch
            {
                JsonArray array => array.ToList(),
                JsonObject single => [single],
                _ => null,
            };
            if (statements is null)
            {
                return null;
            }

            var kept = new JsonArray([.. statements.Where(s => s is JsonObject o && !o.ContainsKey("Condition")).Select(s => s!.DeepClone())]);
            var copy = (JsonObject)document.DeepClone();
            copy["Statement"] = kept;
            return copy.ToJsonString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The bucket of a path-style (<c>/bucket?policy</c>) or virtual-host (<c>bucket.s3.region.amazonaws.com</c>) request.</summary>
    internal static string? BucketOf(Uri uri)
    {
        var host = uri.Host;
        var at = host.IndexOf(".s3.", StringComparison.Ordinal);
        if (at < 0 && host.EndsWith(".s3.amazonaws.com", StringComparison.Ordinal))
        {
            at = host.Length - ".s3.amazonaws.com".Length;
        }

        if (at > 0)
        {
            return host[..at];
        }

        var first = uri.AbsolutePath.Trim('/').Split('/', 2)[0];
        return first.Length == 0 ? null : Uri.UnescapeDataString(first);
    }
}
