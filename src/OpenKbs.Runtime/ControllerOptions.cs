namespace OpenKbs.Runtime;

/// <summary>Per-kind overrides of <see cref="RuntimeOptions"/>; null means "use the runtime's value".</summary>
public sealed record ControllerOptions
{
    /// <summary>Controller name in logs and metric labels; default the kind in lower case (as controller-runtime does).</summary>
    public string? Name { get; init; }

    public int? MaxConcurrentReconciles { get; init; }

    /// <summary>
    /// Which keys are urgent: evaluated when a key becomes ready for a worker (and again when a waiting key is added
    /// again); urgent keys wait in their own FIFO that every worker serves before the normal one. Runs under the work
    /// queue's lock: keep it fast, thread-safe and free of calls back into the controller. Null (default): none.
    /// </summary>
    public Func<ObjectKey, bool>? IsUrgent { get; init; }

    /// <summary>
    /// Workers reserved for urgent keys (<see cref="IsUrgent"/>), on top of <see cref="MaxConcurrentReconciles"/>:
    /// they take only urgent keys, so an urgent key gets a worker even while every normal worker is busy. Default 0.
    /// </summary>
    public int UrgentWorkers { get; init; }

    public TimeSpan? ResyncInterval { get; init; }

    public TimeSpan? TerminalRecheckInterval { get; init; }

    public TimeSpan? BackoffCap { get; init; }

    public TimeSpan? ReconcileTimeout { get; init; }

    /// <summary>Write <c>status.observedGeneration = metadata.generation</c> after every pass when the status type has that field. Default true.</summary>
    public bool StampObservedGeneration { get; init; } = true;
}
