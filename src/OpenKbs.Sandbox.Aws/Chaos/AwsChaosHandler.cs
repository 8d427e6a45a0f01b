using System.Net;
using System.Net.Sockets;
using OpenKbs.Sandbox.Aws.Chaos.Realism;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// A <see cref="DelegatingHandler"/> that puts an <see cref="AwsChaosEngine"/> between an AWS client
/// and moto: seeded faults in each protocol's format, latency, dropped connections, hangs, the
/// realism state machines, and the Account primary-email API. Plug it under any HttpClient-based AWS
/// client (the OpenKbs.Aws clients, or the official SDK through its HttpClientFactory). The chaos
/// proxy runs the same handler.
/// </summary>
public sealed class AwsChaosHandler : DelegatingHandler
{
    /// <summary>Path prefix of the test-only control endpoints (stats, one-time passwords, scripted faults).</summary>
    public const string ControlPrefix = "/__chaos/";

    public AwsChaosHandler(AwsChaosEngine engine)
    {
        Engine = engine;
    }

    public AwsChaosHandler(AwsChaosEngine engine, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        Engine = engine;
    }

    /// <summary>The engine whose state and counters this handler uses.</summary>
    public AwsChaosEngine Engine { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "/";
        if (path.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            return await ChaosControlApi.HandleAsync(Engine, request, cancellationToken);
        }

        if (path.StartsWith("/moto-api/", StringComparison.Ordinal))
        {
            if (path == MotoDefaults.ResetPath && request.Method == HttpMethod.Post)
            {
                Engine.ResetState();
            }

            return await base.SendAsync(request, cancellationToken);
        }

        var body = await BufferAsync(request, cancellationToken);
        var info = AwsRequestClassifier.Classify(request, body);
        var sequence = Engine.Counters.Request(info);
        var decision = Engine.Planner.Decide(info);
        if (decision.Latency > TimeSpan.Zero)
        {
            Engine.Counters.Delayed();

            // Real time on purpose: latency is felt by the client, not part of the simulated clock.
            await Task.Delay(decision.Latency, cancellationToken);
        }

        if (decision.Kind is { } before && !decision.AfterBackend)
        {
            return await InjectAsync(request, info, before, decision, sequence, cancellationToken);
        }

        var response = await ForwardAsync(request, info, body, cancellationToken);
        if (decision.Kind is { } after)
        {
            response.Dispose();
            return await InjectAsync(request, info, after, decision, sequence, cancellationToken);
        }

        return response;
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, AwsRequestInfo info, byte[] body, CancellationToken cancellationToken)
    {
        var module = Engine.Modules.FirstOrDefault(m => m.Handles(info));
        if (module is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var context = new RealismContext(info, request, body, base.SendAsync, Engine.Accounts, Engine.Time, Engine.Counters);
        return await module.HandleAsync(context, cancellationToken);
    }

    private async Task<HttpResponseMessage> InjectAsync(HttpRequestMessage request, AwsRequestInfo info, AwsFaultKind kind, FaultDecision decision, long sequence, CancellationToken cancellationToken)
    {
        Engine.Counters.Fault(new AwsFaultRecord(sequence, info.Service, info.Operation, kind, decision.AfterBackend, decision.Scripted));
        switch (kind)
        {
            case AwsFaultKind.ConnectionReset:
                throw Drop(request);
            case AwsFaultKind.Timeout:
                // Hang until the client gives up (its cancellation ends this), then drop the connection.
                await Task.Delay(Engine.Spec.Hang, cancellationToken);
                throw Drop(request);
            default:
                return AwsErrorResponses.ForFault(info, request.Method, kind);
        }
    }

    private static HttpRequestException Drop(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(ChaosRequestOptions.AbortConnection, out var abort))
        {
            abort();
        }

        return new HttpRequestException(
            HttpRequestError.ResponseEnded,
            "The response ended prematurely (connection reset by the AWS chaos layer).",
            new IOException("Unable to read data from the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset)));
    }

    /// <summary>Reads small, structured bodies (JSON, form, XML) into memory so they can be classified and rewritten; streams the rest.</summary>
    private static async Task<byte[]> BufferAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return [];
        }

        var mediaType = request.Content.Headers.ContentType?.MediaType ?? string.Empty;
        var structured = mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (!structured)
        {
            return [];
        }

        var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var copy = new ByteArrayContent(bytes);
        foreach (var header in request.Content.Headers.NonValidated)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        request.Content.Dispose();
        request.Content = copy;
        return bytes;
    }
}
