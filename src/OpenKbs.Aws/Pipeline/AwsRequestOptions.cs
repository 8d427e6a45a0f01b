using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// <see cref="HttpRequestMessage.Options"/> keys set on every AWS request, so DelegatingHandlers (fault injection, request counters)
/// know the service, operation and protocol without parsing the request.
/// </summary>
public static class AwsRequestOptions
{
    /// <summary>The signing name of the service (e.g. <c>organizations</c>).</summary>
    public static readonly HttpRequestOptionsKey<string> Service = new("openkbs.aws.service");

    /// <summary>The operation name (e.g. <c>CreateAccount</c>).</summary>
    public static readonly HttpRequestOptionsKey<string> Operation = new("openkbs.aws.operation");

    /// <summary>The wire protocol (to synthesise a protocol-correct error response).</summary>
    public static readonly HttpRequestOptionsKey<AwsProtocol> Protocol = new("openkbs.aws.protocol");
}
