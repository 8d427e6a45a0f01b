using System.Net;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

[Collection(RuntimeSandboxCollection.Name)]
public sealed class ProbesAndMetricsTests(RuntimeSandbox sandbox)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Metrics_use_controller_runtime_names_and_probes_answer()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        await sandbox.Client.CreateAsync(Widget.Create(ns, "m1"));
        await sandbox.Client.WaitForWidgetAsync(ns, "m1", w => w.Status?.SeenColor == "blue", "reconciled");
        await WidgetApi.EventuallyAsync(() => op.Status.IsReady, "ready");

        var metrics = await MetricsText.ReadAsync(op);
        Assert.True(MetricsText.Value(metrics, "controller_runtime_reconcile_total", "controller=\"widget\"", "result=\"success\"") >= 1);
        Assert.Equal(4, MetricsText.Value(metrics, "controller_runtime_max_concurrent_reconciles", "controller=\"widget\""));
        Assert.True(MetricsText.Value(metrics, "workqueue_adds_total", "name=\"widget\"") >= 1);
        Assert.True(MetricsText.Value(metrics, "controller_runtime_reconcile_time_seconds_count", "controller=\"widget\"") >= 1);
        foreach (var name in new[]
        {
            "controller_runtime_reconcile_errors_total", "controller_runtime_terminal_reconcile_errors_total", "controller_runtime_active_workers",
            "workqueue_depth", "workqueue_queue_duration_seconds_bucket", "workqueue_work_duration_seconds_bucket", "workqueue_retries_total",
            "workqueue_unfinished_work_seconds", "workqueue_longest_running_processor_seconds", "openkbs_informer_watch_connected",
        })
        {
            Assert.Contains("\n" + name, metrics, StringComparison.Ordinal);
        }

        using var healthz = await Http.GetAsync(new Uri(op.Status.HealthEndpoint!, "healthz"));
        using var readyz = await Http.GetAsync(new Uri(op.Status.HealthEndpoint!, "readyz"));
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Contains("widgets", await healthz.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_stays_unavailable_while_the_api_server_cannot_be_listed()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        sandbox.Server.Faults.FailNext("GET", $"/namespaces/{ns}/widgets$", 503, times: 3);
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);

        using var early = await Http.GetAsync(new Uri(op.Status.HealthEndpoint!, "readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        await WidgetApi.EventuallyAsync(() => op.Status.IsReady, "ready after the list succeeds");
    }
}
