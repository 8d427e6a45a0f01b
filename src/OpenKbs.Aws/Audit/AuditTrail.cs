using Microsoft.Extensions.Logging;

namespace OpenKbs.Aws.Audit;

/// <summary>
/// Fans a record out to every registered <see cref="IAuditSink"/> (a failing sink is logged and skipped) and, when an
/// <see cref="IAuditJournal"/> is registered, records each mutation durably: its intent before it is sent (fail closed),
/// its outcome after.
/// </summary>
internal sealed partial class AuditTrail(IEnumerable<IAuditSink> sinks, IEnumerable<IAuditJournal> journals, ILogger<AuditTrail> logger)
{
    private readonly IAuditSink[] _sinks = [.. sinks];
    private readonly IAuditJournal? _journal = journals.LastOrDefault();

    /// <summary>
    /// Records the intent of a mutation before it is sent; returns its sequence (null without a journal).
    /// Throws <see cref="AuditTrailUnavailableException"/> when the journal cannot record it: then nothing may be sent.
    /// </summary>
    public async ValueTask<long?> BeginAsync(AuditRecord intent, CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return null;
        }

        try
        {
            return await _journal.AppendIntentAsync(intent, cancellationToken);
        }
        catch (AuditTrailUnavailableException ex)
        {
            LogJournalUnavailable(logger, intent.Action, ex.Message);
            throw;
        }
    }

    /// <summary>Records the outcome (of the intent <paramref name="intent"/>, when one was recorded) in the journal and every sink.</summary>
    public async ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken, long? intent = null)
    {
        if (_journal is not null)
        {
            await (intent is { } sequence ? _journal.AppendOutcomeAsync(sequence, record, cancellationToken) : _journal.AppendAsync(record, cancellationToken));
        }

        foreach (var sink in _sinks)
        {
            try
            {
                await sink.RecordAsync(record, cancellationToken);
            }
#pragma warning disable CA1031 // A sink must never fail the AWS call that already happened.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSinkFailed(logger, sink.GetType().Name, record.Action, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Audit sink {Sink} failed to record {Action}: {Error}")]
    private static partial void LogSinkFailed(ILogger logger, string sink, string action, string error);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Not sending {Action}: the audit trail cannot record it ({Error})")]
    private static partial void LogJournalUnavailable(ILogger logger, string action, string error);
}
