using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// Forwards the client's request as it came (including its Host, so moto builds URLs that point back
/// at the proxy) and lets the chaos handler drop the client's connection.
/// </summary>
internal sealed class ChaosForwardTransformer : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        proxyRequest.Options.Set(ChaosRequestOptions.AbortConnection, httpContext.Abort);
    }
}
