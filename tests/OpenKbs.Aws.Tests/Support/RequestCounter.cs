using System.Collections.Concurrent;
using System.Text;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>Counts (and keeps) every request that reaches the HTTP layer, with its operation and body.</summary>
internal sealed class RequestCounter : DelegatingHandler
{
    public ConcurrentQueue<(string Operation, string Target, string Body, string Headers)> Requests { get; } = new();

    /// <summary>Every request as a <see cref="WireRequest"/> (method, path, query, content type, target, If-Match, body), for wire checks.</summary>
    public ConcurrentQueue<(string Operation, WireRequest Request)> Sent { get; } = new();

    public int Count => Requests.Count;

    public int CountOf(string operation) => Requests.Count(r => r.Operation == operation);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken));
        var operation = request.Options.TryGetValue(AwsRequestOptions.Operation, out var op) ? op : SdkOperation(body);
        var headers = string.Join('\n', request.Headers.Select(h => $"{h.Key}: {string.Join(',', h.Value)}"));
        Requests.Enqueue((operation, request.RequestUri!.ToString(), body, headers));
        var contentType = request.Content?.Headers.ContentType?.ToString();
        Sent.Enqueue((operation, WireRequest.FromCaptured(request.Method.Method, request.RequestUri.AbsoluteUri, body, headers) with { ContentType = contentType }));
        return await base.SendAsync(request, cancellationToken);
    }

    private static string SdkOperation(string body)
    {
        var action = body.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal));
        return action is null ? "unknown" : action["Action=".Length..];
    }
}
