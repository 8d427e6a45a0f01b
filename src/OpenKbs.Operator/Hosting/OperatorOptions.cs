namespace OpenKbs.Operator.Hosting;

/// <summary>
/// Settings of one operator process (`openkbs run`).
/// Built by <see cref="OperatorSettings"/> from flags, OPENKBS_* environment variables and an optional config file.
/// </summary>
internal sealed record OperatorOptions
{
    /// <summary>Path to a kubeconfig; null means in-cluster configuration, then $KUBECONFIG / ~/.kube/config.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>Namespaces to watch; empty = all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Optional label selector for every watched kind (sharding).</summary>
    public string? LabelSelector { get; init; }

    public string MetricsBindAddress { get; init; } = ":8080";

    public string HealthProbeBindAddress { get; init; } = ":8081";

    public bool LeaderElect { get; init; } = true;

    /// <summary>Lease namespace; null = the pod's namespace, else <c>default</c>.</summary>
    public string? LeaderElectionNamespace { get; init; }

    /// <summary>Lease name.</summary>
    public string LeaderElectionId { get; init; } = "openkbs-operator";

    /// <summary>Holder identity; null = hostname plus a random suffix.</summary>
    public string? LeaderElectionIdentity { get; init; }

    /// <summary>Leader election timings (controller-runtime's defaults).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Drift-check interval after a successful reconcile.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan TerminalRecheckInterval { get; init; } = TimeSpan.FromMinutes(30);

    public int MaxConcurrentReconciles { get; init; } = 4;

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Trace, Debug, Information, Warning, Error, Critical.</summary>
    public string LogLevel { get; init; } = "Information";

    /// <summary><c>json</c> (structured, default) or <c>text</c>.</summary>
    public string LogFormat { get; init; } = "json";
}
