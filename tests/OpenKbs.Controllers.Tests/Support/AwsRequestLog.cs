using System.Collections.Concurrent;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>Records the operation of every AWS request the operator sends (X-Amz-Target, or the Action of a query call).</summary>
internal sealed class AwsRequestLog : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _operations = new();

    public IReadOnlyList<string> Operations => [.. _operations];

    public int Count(string operation) => _operations.Count(o => o == operation);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets))
        {
            var target = targets.First();
            _operations.Enqueue(target[(target.LastIndexOf('.') + 1)..]);
        }
        else if (request.Content is not null && request.Method == HttpMethod.Post)
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            var action = body.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal));
            _operations.Enqueue(action is null ? RestOperation(request.RequestUri?.AbsolutePath) : action["Action=".Length..]);
        }
        else
        {
            _operations.Enqueue(request.Method + " " + request.RequestUri?.AbsolutePath);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>REST-JSON APIs that name the operation in the path (Account Management: POST /startPrimaryEmailUpdate) by its operation name.</summary>
    private static string RestOperation(string? path) =>
        path is { Length: > 1 } && path.IndexOf('/', 1) < 0 && char.IsAsciiLetterLower(path[1])
            ? char.ToUpperInvariant(path[1]) + path[2..]
            : path ?? "?";
}
