namespace OpenKbs.Runtime;

/// <summary>Process-wide settings of the controller runtime. Per-kind overrides live in <see cref="ControllerOptions"/>.</summary>
public sealed record RuntimeOptions
{
    /// <summary>Namespaces to watch; empty means all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Optional label selector applied to every watched kind (sharding: run one operator per shard).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Requeue delay after a Done outcome (drift check), jittered ±10 %. Default 10 minutes.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Slow re-check of objects in a terminal state, so a fixed cause is noticed. Default 30 minutes.</summary>
    public TimeSpan TerminalRecheckInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Workers per kind. Reconciles of the same object never run concurrently. Default 4.</summary>
    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary>First retry delay after a transient failure; doubles on every consecutive failure. Default 5 ms.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Upper bound of the retry delay. Default 5 minutes.</summary>
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A reconcile running longer than this is cancelled and counted as transient. Default 10 minutes.</summary>
    public TimeSpan ReconcileTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Full relist of every watched kind (a safety net next to the watch); zero disables. Default 30 minutes.</summary>
    public TimeSpan RelistInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Server-side watch timeout; each watch asks for a random value in [1x, 2x) and the client gives up 30 s after it. Default 5 minutes.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>/healthz fails when a kind's watch has been down (not re-established) for longer than this. Default 3 minutes.</summary>
    public TimeSpan WatchUnhealthyAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Page size of list requests. Default 500.</summary>
    public int ListPageSize { get; init; } = 500;

    /// <summary>How many times a status update is re-applied on the latest object after a 409 Conflict. Default 5.</summary>
    public int StatusConflictRetries { get; init; } = 5;

    /// <summary>On shutdown, in-flight reconciles get this long to finish before they are cancelled. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Prometheus endpoint <c>/metrics</c>: <c>host:port</c>, <c>:port</c> for all interfaces, port 0 for a free port, <c>"0"</c> to disable. Default <c>:8080</c>.</summary>
    public string MetricsBindAddress { get; init; } = ":8080";

    /// <summary><c>/healthz</c> and <c>/readyz</c>, same syntax as <see cref="MetricsBindAddress"/>. Default <c>:8081</c>.</summary>
    public string HealthProbeBindAddress { get; init; } = ":8081";

    public LeaderElectionOptions LeaderElection { get; init; } = new();

    /// <summary><c>source.component</c> and <c>reportingComponent</c> of Events.</summary>
    public string EventSourceComponent { get; init; } = "openkbs-operator";

    /// <summary>Identical events within this window increment one Event's count. Default 10 minutes.</summary>
    public TimeSpan EventAggregationWindow { get; init; } = TimeSpan.FromMinutes(10);
}
