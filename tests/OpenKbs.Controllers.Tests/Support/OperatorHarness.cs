using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime;
using OpenKbs.Testing;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// The operator in process, wired as <c>openkbs run</c> wires it (runtime + <c>AddOpenKbsControllers</c>), against the
/// sandbox API server and moto (or a proxy in front of it), watching the given namespaces, with short waits.
/// </summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private OperatorHarness(IHost host, AwsRequestLog log, CapturingAuditSink audit, AwsCallRecorder calls)
    {
        _host = host;
        Log = log;
        Audit = audit;
        Calls = calls;
    }

    public AwsRequestLog Log { get; }

    /// <summary>Every audit record of the operator's AWS calls (with the actor: controller, object, spec manager).</summary>
    public CapturingAuditSink Audit { get; }

    /// <summary>
    /// Every AWS call the operator sent. When the harness stops, each must be granted by the generated IAM policy of its
    /// account (docs/iam), so every operator test is also a test of that policy (issue 13: the calls the suites make).
    /// </summary>
    public AwsCallRecorder Calls { get; }

    public IServiceProvider Services => _host.Services;

    /// <param name="awsHandlers">Handlers between the operator and AWS, outermost first (a timeline, a chaos handler).</param>
    /// <param name="services">Extra registrations made before the controllers' own.</param>
    public static async Task<OperatorHarness> StartAsync(
        SandboxFixture sandbox,
        Uri awsEndpoint,
        IReadOnlyList<string> namespaces,
        IDictionary<string, string?>? settings = null,
        IReadOnlyList<DelegatingHandler>? awsHandlers = null,
        int workers = 4,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(sandbox.Server.ClientConfiguration()));
        builder.Services.AddOpenKbsRuntime(new RuntimeOptions
        {
            Namespaces = namespaces,
            LeaderElection = new LeaderElectionOptions { Enabled = false },
            MetricsBindAddress = "0",
            HealthProbeBindAddress = "0",
            BackoffCap = TimeSpan.FromSeconds(2),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            MaxConcurrentReconciles = workers,
        });
        var log = new AwsRequestLog();
        var audit = new CapturingAuditSink();
        AwsHost.AddTo(builder.Services, awsEndpoint, log, audit, inner: awsHandlers);
        var calls = new AwsCallRecorder(awsEndpoint);
        builder.Services.AddSingleton<OpenKbs.Aws.Pipeline.IAwsCallObserver>(calls);
        var values = new Dictionary<string, string?>
        {
            ["ClientAccount:WaitWhileAccountCreating"] = "00:00:00.300",
            ["ClientAccount:WaitWhileQueued"] = "00:00:05",
            ["ClientAccount:WaitAtQueueHead"] = "00:00:00.100",
            ["ClientAccount:WaitWhileClosing"] = "00:00:00.300",
            ["ClientAccount:WaitForAccessFirst"] = "00:00:00.300",
            ["ClientAccount:WaitForAccessMax"] = "00:00:02",
            ["ClientAccount:WaitBeforeCreateRetry"] = "00:00:00.300",
            ["AuditRun:Isolation"] = "InProcess", // the test host is not openkbs: AuditRunOperatorTests runs the child process itself
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        if (values.TryGetValue("Project:ArtifactBucket", out var bucket) && bucket is not null)
        {
            calls.ArtifactBucket = bucket;
        }

        services?.Invoke(builder.Services); // before the controllers' TryAdd registrations (e.g. an IIncidentRecorder on a test store)
        builder.Services.AddOpenKbsControllers(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var host = builder.Build();
        await host.StartAsync();
        return new OperatorHarness(host, log, audit, calls);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
        var denied = Calls.NotGranted();
        Calls.Dispose();
        if (denied.Count > 0)
        {
            throw new InvalidOperationException($"The operator made AWS calls the generated IAM policies (docs/iam) do not grant:\n{string.Join("\n", denied)}");
        }
    }
}
