namespace OpenKbs.Runtime.Controllers;

/// <summary>Per-controller timings resolved from <see cref="RuntimeOptions"/> and <see cref="ControllerOptions"/>.</summary>
internal sealed record SchedulingPolicy
{
    public required TimeSpan ResyncInterval { get; init; }

    public required TimeSpan TerminalRecheckInterval { get; init; }

    /// <summary>The delay after a Done outcome: the resync interval jittered by ±10 % (<paramref name="unitRandom"/> in [0, 1)).</summary>
    public TimeSpan JitteredResync(double unitRandom) => Jitter(ResyncInterval, unitRandom);

    /// <summary>The slow re-check of terminal objects, jittered by ±10 % so re-checks spread out.</summary>
    public TimeSpan JitteredRecheck(double unitRandom) => Jitter(TerminalRecheckInterval, unitRandom);

    /// <summary>What a result means for the queue. Transient results are rate limited by the queue's backoff.</summary>
    public ScheduleDecision Decide(ReconcileResult result, double unitRandom)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            ReconcileOutcome.Done => new ScheduleDecision(ScheduleKind.After, JitteredResync(unitRandom), ReconcileTrigger.Scheduled),
            ReconcileOutcome.RequeueAfter => new ScheduleDecision(ScheduleKind.After, result.Delay ?? TimeSpan.Zero, ReconcileTrigger.Scheduled),
            ReconcileOutcome.Terminal => new ScheduleDecision(ScheduleKind.After, JitteredRecheck(unitRandom), ReconcileTrigger.TerminalRecheck),
            _ => new ScheduleDecision(ScheduleKind.Backoff, null, ReconcileTrigger.Retry),
        };
    }

    private static TimeSpan Jitter(TimeSpan interval, double unitRandom)
    {
        var factor = 0.9 + (0.2 * Math.Clamp(unitRandom, 0, 1));
        return TimeSpan.FromTicks((long)(interval.Ticks * factor));
    }
}

internal enum ScheduleKind
{
    /// <summary>Forget the backoff and re-add after the delay (replacing any earlier schedule).</summary>
    After,

    /// <summary>Re-add after the key's next backoff delay.</summary>
    Backoff,
}

internal readonly record struct ScheduleDecision(ScheduleKind Kind, TimeSpan? Delay, ReconcileTrigger Trigger);
