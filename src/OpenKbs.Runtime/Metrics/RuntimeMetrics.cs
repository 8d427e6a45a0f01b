using Prometheus;

namespace OpenKbs.Runtime.Metrics;

/// <summary>
/// The runtime's Prometheus metrics, named as controller-runtime and client-go's workqueue name them so existing
/// dashboards work. One registry per runtime instance (two operators in one test process do not collide).
/// </summary>
internal sealed class RuntimeMetrics
{
    // controller-runtime's reconcile_time buckets.
    private static readonly double[] ReconcileBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    // client-go workqueue buckets: 10 exponential buckets from 10 ns (1e-8 s) by factor 10.
    private static readonly double[] QueueBuckets = Histogram.ExponentialBuckets(1e-8, 10, 10);

    public RuntimeMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        ReconcileTotal = factory.CreateCounter("controller_runtime_reconcile_total", "Total number of reconciliations per controller", ["controller", "result"]);
        ReconcileErrors = factory.CreateCounter("controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller", ["controller"]);
        TerminalErrors = factory.CreateCounter(
            "controller_runtime_terminal_reconcile_errors_total", "Total number of terminal reconciliation errors per controller", ["controller"]);
        ReconcilePanics = factory.CreateCounter(
            "controller_runtime_reconcile_panics_total", "Total number of reconciliation panics (thrown exceptions) per controller", ["controller"]);
        ReconcileTime = factory.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller",
            ["controller"],
            new HistogramConfiguration { Buckets = ReconcileBuckets });
        MaxConcurrentReconciles = factory.CreateGauge(
            "controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller", ["controller"]);
        ActiveWorkers = factory.CreateGauge("controller_runtime_active_workers", "Number of currently used workers per controller", ["controller"]);
        QueueDepth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue", ["name", "controller"]);
        QueueAdds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", ["name", "controller"]);
        QueueLatency = factory.CreateHistogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested",
            ["name", "controller"],
            new HistogramConfiguration { Buckets = QueueBuckets });
        WorkDuration = factory.CreateHistogram(
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes",
            ["name", "controller"],
            new HistogramConfiguration { Buckets = QueueBuckets });
        UnfinishedWork = factory.CreateGauge(
            "workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.",
            ["name", "controller"]);
        LongestRunning = factory.CreateGauge(
            "workqueue_longest_running_processor_seconds",
            "How many seconds has the longest running processor for workqueue been running.",
            ["name", "controller"]);
        Retries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", ["name", "controller"]);
        LeaderStatus = factory.CreateGauge(
            "leader_election_master_status", "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.", ["name"]);
        Paused = factory.CreateGauge("openkbs_paused_objects", "Objects carrying openkbs.com/paused=true, per controller", ["controller"]);
        Terminal = factory.CreateGauge("openkbs_terminal_objects", "Objects whose last reconcile was terminal, per controller", ["controller"]);
        CachedObjects = factory.CreateGauge("openkbs_informer_cached_objects", "Objects in the informer cache, per resource", ["resource"]);
        WatchConnected = factory.CreateGauge("openkbs_informer_watch_connected", "1 while the resource's list/watch is connected", ["resource"]);
        Lists = factory.CreateCounter("openkbs_informer_lists_total", "Full lists (initial, 410 Gone, periodic relist) per resource", ["resource"]);
        Watches = factory.CreateCounter("openkbs_informer_watches_total", "Watch requests started per resource", ["resource"]);
        WatchFailures = factory.CreateCounter("openkbs_informer_watch_failures_total", "List/watch failures (followed by backoff) per resource", ["resource"]);
        WatchEvents = factory.CreateCounter("openkbs_informer_watch_events_total", "Watch events received per resource and type", ["resource", "type"]);
        Events = factory.CreateCounter("openkbs_events_total", "Kubernetes Events written (created or aggregated) or dropped", ["type", "result"]);
    }

    public CollectorRegistry Registry { get; }

    public Counter ReconcileTotal { get; }

    public Counter ReconcileErrors { get; }

    public Counter TerminalErrors { get; }

    public Counter ReconcilePanics { get; }

    public Histogram ReconcileTime { get; }

    public Gauge MaxConcurrentReconciles { get; }

    public Gauge ActiveWorkers { get; }

    public Gauge QueueDepth { get; }

    public Counter QueueAdds { get; }

    public Histogram QueueLatency { get; }

    public Histogram WorkDuration { get; }

    public Gauge UnfinishedWork { get; }

    public Gauge LongestRunning { get; }

    public Counter Retries { get; }

    public Gauge LeaderStatus { get; }

    public Gauge Paused { get; }

    public Gauge Terminal { get; }

    public Gauge CachedObjects { get; }

    public Gauge WatchConnected { get; }

    public Counter Lists { get; }

    public Counter Watches { get; }

    public Counter WatchFailures { get; }

    public Counter WatchEvents { get; }

    public Counter Events { get; }

    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
