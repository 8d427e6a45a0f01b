using System.Net;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenKbs.Operator.Hosting;
using OpenKbs.Runtime;
using OpenKbs.Testing;

namespace OpenKbs.Operator.Tests.Hosting;

public sealed class OperatorHostTests(OperatorHostTests.CrdSandbox sandbox) : IClassFixture<OperatorHostTests.CrdSandbox>
{
    /// <summary>The sandbox with the repository's CRDs: the host's informers list every kind it reconciles.</summary>
    public sealed class CrdSandbox : SandboxFixture
    {
        protected override IEnumerable<string> CrdDirectories => [RepositoryCrdsDirectory];
    }

    [Fact]
    public async Task The_host_starts_from_a_kubeconfig_serves_probes_and_metrics_and_stops_cleanly()
    {
        var options = new OperatorOptions
        {
            KubeconfigPath = sandbox.KubeconfigPath,
            MetricsBindAddress = "127.0.0.1:0",
            HealthProbeBindAddress = "127.0.0.1:0",
            LeaderElectionNamespace = "default",
            LeaderElectionId = SandboxFixture.UniqueName("lease"),
            LogLevel = "Warning",
        };
        using var host = OperatorHost.Build(options);
        await host.StartAsync();
        var status = host.Services.GetRequiredService<IRuntimeStatus>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(status.IsReady && status.IsLeader) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(status.IsReady && status.IsLeader, status.CheckHealth().Detail);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(status.HealthEndpoint!, "readyz"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(status.HealthEndpoint!, "healthz"))).StatusCode);
        Assert.Contains("leader_election_master_status", await http.GetStringAsync(new Uri(status.MetricsEndpoint!, "metrics")), StringComparison.Ordinal);

        await host.StopAsync();
        // Released on graceful shutdown, so a standby would not wait for the lease to expire.
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => sandbox.Client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaderElectionId, "default"));
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_a_clear_error_not_a_crash()
    {
        var code = await OperatorHost.RunAsync(new OperatorOptions { KubeconfigPath = "/nonexistent/kubeconfig" }, CancellationToken.None);

        Assert.Equal(2, code);
    }

    [Fact]
    public void The_runtime_binds_its_settings_from_the_flags_through_configuration()
    {
        var options = OperatorSettings.Load(null, new Dictionary<string, string>(), new Dictionary<string, IReadOnlyList<string>>
        {
            ["kubeconfig"] = [sandbox.KubeconfigPath],
            ["namespaces"] = ["a,b"],
            ["maxConcurrentReconciles"] = ["7"],
            ["resyncInterval"] = ["90s"],
            ["leaderElect"] = ["false"],
            ["leaseDuration"] = ["20s"],
        });

        using var host = OperatorHost.Build(options);
        var runtime = host.Services.GetRequiredService<RuntimeOptions>();

        Assert.Equal(["a", "b"], runtime.Namespaces);
        Assert.Equal(7, runtime.MaxConcurrentReconciles);
        Assert.Equal(TimeSpan.FromSeconds(90), runtime.ResyncInterval);
        Assert.False(runtime.LeaderElection.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(20), runtime.LeaderElection.LeaseDuration);
        Assert.Equal(new RuntimeOptions().RelistInterval, runtime.RelistInterval);
    }

    [Fact]
    public async Task Invalid_runtime_settings_stop_the_operator_at_start_naming_the_setting()
    {
        var options = new OperatorOptions
        {
            KubeconfigPath = sandbox.KubeconfigPath,
            LeaseDuration = TimeSpan.FromSeconds(5),
            RenewDeadline = TimeSpan.FromSeconds(10),
            MetricsBindAddress = "not-an-address",
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            using var host = OperatorHost.Build(options);
            await host.StartAsync();
        });
        var code = await OperatorHost.RunAsync(options, CancellationToken.None);

        Assert.Contains(error.Failures, f => f.Contains("LeaseDuration > RenewDeadline > RetryPeriod", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("MetricsBindAddress: ", StringComparison.Ordinal));
        Assert.Equal(2, code);
    }
}
