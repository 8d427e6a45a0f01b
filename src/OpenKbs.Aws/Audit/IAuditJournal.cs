namespace OpenKbs.Aws.Audit;

/// <summary>
/// The durable, write-ahead audit journal (at most one registered; <c>OpenKbs.AuditTrail</c> provides it over PostgreSQL).
/// Unlike an <see cref="IAuditSink"/> it is consulted BEFORE a mutating call is sent: when the intent cannot be recorded the
/// call is not sent (fail closed, <see cref="AuditTrailUnavailableException"/>). Without a journal the pipeline records only
/// to the sinks, as before.
/// </summary>
public interface IAuditJournal
{
    /// <summary>
    /// Appends <paramref name="intent"/> (outcome <see cref="AuditOutcome.Pending"/>) and returns its sequence number.
    /// Throws <see cref="AuditTrailUnavailableException"/> when it cannot be recorded durably; then nothing may be sent.
    /// </summary>
    ValueTask<long> AppendIntentAsync(AuditRecord intent, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the outcome of the intent <paramref name="intentSequence"/>. Does not throw when the store is unreachable:
    /// the outcome is kept and written before the next intent is accepted (which fails closed until then); after a crash
    /// the intent without outcome is resolved as <see cref="AuditOutcome.Unknown"/> at the next start.
    /// </summary>
    ValueTask AppendOutcomeAsync(long intentSequence, AuditRecord outcome, CancellationToken cancellationToken);

    /// <summary>Appends a record that has no intent (a refusal: nothing was sent). Best effort, same queueing as outcomes.</summary>
    ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken);
}
