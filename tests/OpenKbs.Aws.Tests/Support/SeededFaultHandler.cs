using System.Net;
using System.Text;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>
/// A small seeded fault injector for these tests (the reusable one lives in OpenKbs.Sandbox.Aws/Chaos): answers a share of requests
/// with a protocol-correct throttling error or a 500, without forwarding them.
/// </summary>
internal sealed class SeededFaultHandler(int seed, double throttleRate, double errorRate) : DelegatingHandler
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public int Throttled { get; private set; }

    public int Errors { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        double roll;
        lock (_lock)
        {
            roll = _random.NextDouble();
        }

        if (!request.Options.TryGetValue(AwsRequestOptions.Protocol, out var protocol) || roll >= throttleRate + errorRate)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var throttle = roll < throttleRate;
        if (throttle)
        {
            Throttled++;
        }
        else
        {
            Errors++;
        }

        return Task.FromResult(Fault(protocol, throttle));
    }

    private static HttpResponseMessage Fault(AwsProtocol protocol, bool throttle)
    {
        var status = throttle ? (protocol == AwsProtocol.RestJson1 ? (HttpStatusCode)429 : HttpStatusCode.BadRequest) : HttpStatusCode.InternalServerError;
        var code = throttle ? (protocol is AwsProtocol.AwsQuery or AwsProtocol.RestXml ? "Throttling" : "TooManyRequestsException") : "InternalFailure";
        var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "fault-" + Guid.NewGuid().ToString("N"));
        if (protocol is AwsProtocol.AwsQuery or AwsProtocol.RestXml)
        {
            response.Content = new StringContent(
                $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>Rate exceeded</Message></Error><RequestId>f</RequestId></ErrorResponse>",
                Encoding.UTF8,
                "text/xml");
        }
        else
        {
            response.Content = new StringContent($$"""{"__type":"{{code}}","message":"Rate exceeded"}""", Encoding.UTF8, "application/x-amz-json-1.1");
            if (protocol == AwsProtocol.RestJson1)
            {
                response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", code);
            }
        }

        return response;
    }
}
