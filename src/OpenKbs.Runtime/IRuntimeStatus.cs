namespace OpenKbs.Runtime;

/// <summary>The live state of this operator process: leadership, caches, probes and where the endpoints listen.</summary>
public interface IRuntimeStatus
{
    /// <summary>Lease holder identity of this process.</summary>
    string Identity { get; }

    /// <summary>True while this process holds the Lease (always true with leader election disabled, once started).</summary>
    bool IsLeader { get; }

    /// <summary>True once every informer finished its first list.</summary>
    bool CachesSynced { get; }

    /// <summary>/readyz: caches synced and the runtime running (as leader or standby).</summary>
    bool IsReady { get; }

    /// <summary>/healthz: every watch alive (or down only briefly) and the runtime loop running; with a detail line per check.</summary>
    (bool Healthy, string Detail) CheckHealth();

    /// <summary>Base URL of the metrics endpoint once started (e.g. <c>http://127.0.0.1:8080/</c>), null when disabled.</summary>
    Uri? MetricsEndpoint { get; }

    /// <summary>Base URL of the health probe endpoint once started, null when disabled.</summary>
    Uri? HealthEndpoint { get; }
}
