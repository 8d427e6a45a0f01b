using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Metrics;

namespace OpenKbs.Runtime.Hosting;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format) and <c>/healthz</c> + <c>/readyz</c> on their own Kestrel listeners
/// (controller-runtime's defaults :8080 and :8081). Port 0 binds a free port, published in <see cref="IRuntimeStatus"/>.
/// </summary>
internal sealed partial class ProbeServer(RuntimeOptions options, RuntimeState state, RuntimeMetrics metrics, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly ILogger _logger = loggers.CreateLogger<ProbeServer>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var metricsAt = BindAddress.Parse(options.MetricsBindAddress);
        var healthAt = BindAddress.Parse(options.HealthProbeBindAddress);
        if (metricsAt is not null && healthAt is not null && metricsAt.Port != 0 && metricsAt.Equals(healthAt))
        {
            var url = await StartAsync(metricsAt, app => MapAll(app, withMetrics: true, withHealth: true), cancellationToken).ConfigureAwait(false);
            state.MetricsEndpoint = state.HealthEndpoint = url;
            return;
        }

        if (metricsAt is not null)
        {
            state.MetricsEndpoint = await StartAsync(metricsAt, app => MapAll(app, withMetrics: true, withHealth: false), cancellationToken).ConfigureAwait(false);
        }

        if (healthAt is not null)
        {
            state.HealthEndpoint = await StartAsync(healthAt, app => MapAll(app, withMetrics: false, withHealth: true), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _apps.Clear();
    }

    private void MapAll(WebApplication app, bool withMetrics, bool withHealth)
    {
        if (withMetrics)
        {
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            });
        }

        if (withHealth)
        {
            app.MapGet("/healthz", () =>
            {
                var (healthy, detail) = state.CheckHealth();
                return Results.Text(detail, "text/plain", statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError);
            });
            app.MapGet("/readyz", () => state.IsReady
                ? Results.Text("ok\n", "text/plain")
                : Results.Text(state.CachesSynced ? "runtime not running\n" : "caches not synced\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable));
        }
    }

    private async Task<Uri> StartAsync(IPEndPoint endpoint, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{endpoint}";
        var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal) + "/");
        LogListening(_logger, uri.ToString());
        return uri;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving probes/metrics on {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
