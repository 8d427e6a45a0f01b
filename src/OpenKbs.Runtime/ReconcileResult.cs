namespace OpenKbs.Runtime;

/// <summary>
/// The value a reconciler returns. Outcomes are values, not exceptions (an exception thrown by a reconciler is treated
/// as <see cref="Transient(string, Exception?)"/> and never crashes the process or drops the object).
/// </summary>
public sealed record ReconcileResult
{
    private static readonly ReconcileResult DoneResult = new() { Outcome = ReconcileOutcome.Done };

    public required ReconcileOutcome Outcome { get; init; }

    /// <summary>Delay for <see cref="ReconcileOutcome.RequeueAfter"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>A CamelCase reason (also the Event reason for terminal and transient outcomes).</summary>
    public string? Reason { get; init; }

    /// <summary>Human-readable detail. Never put secrets here: it is logged and written to Events.</summary>
    public string? Message { get; init; }

    public Exception? Exception { get; init; }

    /// <summary>In sync; the next drift check comes after the kind's resync interval, jittered ±10 %.</summary>
    public static ReconcileResult Done() => DoneResult;

    /// <summary>Look again after <paramref name="delay"/> (e.g. a named wait such as <c>WaitWhileAccountCreating</c>).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ReconcileResult { Outcome = ReconcileOutcome.RequeueAfter, Delay = delay, Reason = reason };
    }

    /// <summary>Stop retrying until the spec or the reconcile-requested-at annotation changes (plus the slow re-check).</summary>
    public static ReconcileResult Terminal(string reason, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ReconcileResult { Outcome = ReconcileOutcome.Terminal, Reason = reason, Message = message };
    }

    /// <summary>Retry with exponential backoff (5 ms doubling up to the cap).</summary>
    public static ReconcileResult Transient(string reason, Exception? exception = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ReconcileResult { Outcome = ReconcileOutcome.Transient, Reason = reason, Message = exception?.Message, Exception = exception };
    }

    /// <summary>Retry with exponential backoff, with a message instead of an exception.</summary>
    public static ReconcileResult Transient(string reason, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ReconcileResult { Outcome = ReconcileOutcome.Transient, Reason = reason, Message = message };
    }

    public override string ToString() => Outcome switch
    {
        ReconcileOutcome.Done => "Done",
        ReconcileOutcome.RequeueAfter => $"RequeueAfter({Delay}, {Reason})",
        _ => $"{Outcome}({Reason}: {Message})",
    };
}
