namespace OpenKbs.Runtime;

/// <summary>Per-kind overrides of <see cref="RuntimeOptions"/>; null means "use the runtime's value".</summary>
public sealed record ControllerOptions
{
    /// <summary>Controller name in logs and metric labels; default the kind in lower case (as controller-runtime does).</summary>
    public string? Name { get; init; }

    public int? MaxConcurrentReconciles { get; init; }

    public TimeSpan? ResyncInterval { get; init; }

    public TimeSpan? TerminalRecheckInterval { get; init; }

    public TimeSpan? BackoffCap { get; init; }

    public TimeSpan? ReconcileTimeout { get; init; }

    /// <summary>Write <c>status.observedGeneration = metadata.generation</c> after every pass when the status type has that field. Default true.</summary>
    public bool StampObservedGeneration { get; init; } = true;
}
