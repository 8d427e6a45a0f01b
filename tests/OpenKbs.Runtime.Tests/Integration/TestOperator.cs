using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>One operator process (a Host with the runtime and the Widget controller) against the sandbox.</summary>
internal sealed class TestOperator : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestOperator(IHost host) => _host = host;

    public IRuntimeStatus Status => _host.Services.GetRequiredService<IRuntimeStatus>();

    public IServiceProvider Services => _host.Services;

    public static async Task<TestOperator> StartAsync(
        RuntimeSandbox sandbox, string @namespace, ReconcileLog log, Func<RuntimeOptions, RuntimeOptions>? configure = null, ControllerOptions? controller = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetes>(new Kubernetes(sandbox.Server.ClientConfiguration()));
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton<WidgetGate>();
        var options = new RuntimeOptions
        {
            Namespaces = [@namespace],
            MetricsBindAddress = "127.0.0.1:0",
            HealthProbeBindAddress = "127.0.0.1:0",
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            LeaderElection = new LeaderElectionOptions { Enabled = false },
        };
        builder.Services.AddOpenKbsRuntime(configure is null ? options : configure(options));
        builder.Services.AddController<Widget, TestReconciler>(Widget.Descriptor, controller);
        var host = builder.Build();
        await host.StartAsync();
        return new TestOperator(host);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
