namespace OpenKbs.Runtime;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease (controller-runtime's timings by default).</summary>
public sealed record LeaderElectionOptions
{
    /// <summary>When false, this process reconciles at once and alone; never run two such processes against one cluster.</summary>
    public bool Enabled { get; init; } = true;

    public string LeaseName { get; init; } = "openkbs-operator";

    /// <summary>Namespace of the Lease; null means the pod's namespace (POD_NAMESPACE or the service account's), else <c>default</c>.</summary>
    public string? LeaseNamespace { get; init; }

    /// <summary>Holder identity; null means <c>hostname_random</c>.</summary>
    public string? Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On graceful shutdown, after in-flight work has stopped, delete the Lease so a standby takes over at once.</summary>
    public bool ReleaseOnShutdown { get; init; } = true;
}
