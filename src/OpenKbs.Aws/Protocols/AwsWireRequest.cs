using System.Text;

namespace OpenKbs.Aws.Protocols;

/// <summary>A protocol-encoded request before endpoint resolution and signing. Built by a codec, sent by the pipeline (once per attempt).</summary>
internal sealed class AwsWireRequest
{
    public required HttpMethod Method { get; init; }

    /// <summary>The path, already percent-encoded, starting with '/'.</summary>
    public string Path { get; init; } = "/";

    /// <summary>Query parameters (unencoded); repeated keys allowed.</summary>
    public IList<KeyValuePair<string, string>> Query { get; } = [];

    /// <summary>Headers to send and sign (besides host, x-amz-date, x-amz-content-sha256, x-amz-security-token, which the signer adds).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The request URI under <paramref name="baseUri"/> (scheme, host, port, and any base path of an override).</summary>
    public Uri BuildUri(Uri baseUri)
    {
        var builder = new StringBuilder();
        builder.Append(baseUri.GetLeftPart(UriPartial.Authority));
        var basePath = baseUri.AbsolutePath.TrimEnd('/');
        builder.Append(basePath);
        builder.Append(Path);
        if (Query.Count > 0)
        {
            builder.Append('?');
            var first = true;
            foreach (var (key, value) in Query)
            {
                if (!first)
                {
                    builder.Append('&');
                }

                first = false;
                builder.Append(AwsUriEncoding.Encode(key)).Append('=').Append(AwsUriEncoding.Encode(value));
            }
        }

        return new Uri(builder.ToString(), UriKind.Absolute);
    }
}
