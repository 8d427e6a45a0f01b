using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// An HTTP reverse proxy (Kestrel + YARP's forwarder) that runs <see cref="AwsChaosHandler"/> in
/// front of moto, so every AWS client of a whole system (the operator, the aws CLI, SDKs) goes
/// through the same faults and realism: point them at <see cref="Endpoint"/> instead of moto.
/// </summary>
public sealed class AwsChaosProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;

    private AwsChaosProxy(WebApplication app, HttpMessageInvoker invoker, AwsChaosEngine engine, Uri endpoint, Uri backend)
    {
        _app = app;
        _invoker = invoker;
        Engine = engine;
        Endpoint = endpoint;
        Backend = backend;
    }

    /// <summary>The proxy's URL, e.g. <c>http://127.0.0.1:41234</c>: use it as AWS_ENDPOINT_URL.</summary>
    public Uri Endpoint { get; }

    /// <summary>The endpoint behind the proxy (moto).</summary>
    public Uri Backend { get; }

    /// <summary>The engine (spec, counters, scripted faults, one-time passwords).</summary>
    public AwsChaosEngine Engine { get; }

    /// <summary>Starts a proxy in front of <paramref name="backend"/>.</summary>
    public static Task<AwsChaosProxy> StartAsync(Uri backend, AwsChaosSpec spec, CancellationToken cancellationToken = default) =>
        StartAsync(new AwsChaosProxyOptions { Backend = backend, Spec = spec }, cancellationToken);

    /// <summary>Starts a proxy and returns once it listens.</summary>
    public static async Task<AwsChaosProxy> StartAsync(AwsChaosProxyOptions options, CancellationToken cancellationToken = default)
    {
        var engine = options.Engine ?? new AwsChaosEngine(options.Spec, options.Time, new SandboxMailbox(options.MailDirectory));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(AwsChaosProxy).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(options.LoggerFactory);
        }

        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveHostLifetime>();
        var app = builder.Build();

        HttpMessageHandler chain = new AwsChaosHandler(engine, new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
        if (options.Outer is { } outer)
        {
            outer.InnerHandler = chain;
            chain = outer;
        }

        var invoker = new HttpMessageInvoker(chain);
        var backend = options.Backend.ToString().TrimEnd('/');
        var config = new ForwarderRequestConfig
        {
            ActivityTimeout = engine.Spec.Hang + TimeSpan.FromSeconds(30),
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var transformer = new ChaosForwardTransformer();
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        app.Run(async context =>
        {
            // YARP answers 502/504 itself when moto cannot be reached; a dropped connection is aborted by the handler.
            await forwarder.SendAsync(context, backend, invoker, config, transformer);
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            invoker.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var endpoint = new Uri($"http://{(options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host)}:{port}");
        return new AwsChaosProxy(app, invoker, engine, endpoint, options.Backend);
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
            // Hanging requests (timeout faults) are cut off.
        }

        await _app.DisposeAsync();
        _invoker.Dispose();
    }
}
