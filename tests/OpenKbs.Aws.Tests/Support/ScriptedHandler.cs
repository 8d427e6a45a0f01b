using System.Net;
using System.Text;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>A primary handler that answers from a script (status, body, headers) and records requests; for faults moto cannot produce.</summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
{
    private int _next;

    public int Calls => _next;

    public static Func<HttpRequestMessage, HttpResponseMessage> Json(int status, string body, params (string Name, string Value)[] headers) => _ =>
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-" + status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref _next) - 1;
        return Task.FromResult(script[Math.Min(index, script.Length - 1)](request));
    }
}
