namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>What the engine did so far (a snapshot), for test assertions and <c>GET /__chaos/stats</c>.</summary>
public sealed record AwsChaosStats
{
    /// <summary>AWS calls seen (control and moto-api calls excluded).</summary>
    public required long Requests { get; init; }

    /// <summary>Injected faults by kind.</summary>
    public required IReadOnlyDictionary<AwsFaultKind, long> Faults { get; init; }

    /// <summary>Calls that got added latency.</summary>
    public required long Delayed { get; init; }

    /// <summary>Calls per <c>service:Operation</c>.</summary>
    public required IReadOnlyDictionary<string, long> RequestsByOperation { get; init; }

    /// <summary>Injected faults per <c>service:Operation</c>.</summary>
    public required IReadOnlyDictionary<string, long> FaultsByOperation { get; init; }

    /// <summary>
    /// Answers the realism layer gave instead of moto's, by name: <c>ResourceConflict</c>,
    /// <c>PreconditionFailed</c>, <c>InvalidIfMatchVersion</c>, <c>DistributionNotDisabled</c>,
    /// <c>InvalidState</c>, <c>CreateAccountRateLimited</c>, <c>CreateAccountFailed</c>, <c>EmptyPage</c>,
    /// <c>HiddenAccount</c>, <c>AccountApi</c>.
    /// </summary>
    public required IReadOnlyDictionary<string, long> RealismEvents { get; init; }

    /// <summary>The last (up to 10,000) injected faults in order.</summary>
    public required IReadOnlyList<AwsFaultRecord> FaultLog { get; init; }

    /// <summary>All injected faults.</summary>
    public long TotalFaults => Faults.Values.Sum();

    /// <summary>Count of one fault kind.</summary>
    public long Count(AwsFaultKind kind) => Faults.GetValueOrDefault(kind);

    /// <summary>Count of one realism event.</summary>
    public long Realism(string name) => RealismEvents.GetValueOrDefault(name);
}
