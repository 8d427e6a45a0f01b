using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenKbs.Sandbox.AwsChaos;
using Yarp.ReverseProxy.Forwarder;

namespace OpenKbs.Testing.Aws;

/// <summary>
/// The AWS chaos proxy (the same <see cref="AwsChaosHandler"/> and engine as <c>openkbs sandbox --aws-chaos</c>) with a
/// <see cref="CreationTimeline"/> in front of it, for tests that run the operator as a separate process: the proxy sees
/// every CreateAccount and every status poll, with the answers the realism gave.
/// </summary>
public sealed class RecordingChaosProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;

    private RecordingChaosProxy(WebApplication app, HttpMessageInvoker invoker, AwsChaosEngine engine, CreationTimeline timeline, Uri endpoint)
    {
        _app = app;
        _invoker = invoker;
        Engine = engine;
        Timeline = timeline;
        Endpoint = endpoint;
    }

    /// <summary>Use as AWS_ENDPOINT_URL.</summary>
    public Uri Endpoint { get; }

    public AwsChaosEngine Engine { get; }

    public CreationTimeline Timeline { get; }

    public static async Task<RecordingChaosProxy> StartAsync(Uri moto, AwsChaosSpec spec, TimeSpan? awsDuration = null)
    {
        ArgumentNullException.ThrowIfNull(moto);
        var engine = new AwsChaosEngine(spec);
        var timeline = new CreationTimeline { AwsDuration = awsDuration };
        timeline.InnerHandler = new AwsChaosHandler(engine, new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
        var invoker = new HttpMessageInvoker(timeline);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var backend = moto.ToString().TrimEnd('/');
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(3) };
        app.Run(async context => await forwarder.SendAsync(context, backend, invoker, config, HttpTransformer.Default));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var endpoint = new Uri($"http://127.0.0.1:{new Uri(address).Port}");
        return new RecordingChaosProxy(app, invoker, engine, timeline, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
        _invoker.Dispose();
    }
}
