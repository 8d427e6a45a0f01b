using Microsoft.Extensions.Logging;

namespace OpenKbs.Aws.Audit;

/// <summary>Fans a record out to every registered <see cref="IAuditSink"/>; a failing sink is logged and skipped.</summary>
internal sealed partial class AuditTrail(IEnumerable<IAuditSink> sinks, ILogger<AuditTrail> logger)
{
    private readonly IAuditSink[] _sinks = [.. sinks];

    public async ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
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
}
