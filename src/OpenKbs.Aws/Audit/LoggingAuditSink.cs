using Microsoft.Extensions.Logging;

namespace OpenKbs.Aws.Audit;

/// <summary>Writes each audit record as one structured log event (category <c>OpenKbs.Aws.Audit</c>, event id 4000).</summary>
public sealed partial class LoggingAuditSink(ILoggerFactory loggerFactory) : IAuditSink
{
    /// <summary>The log category of audit events.</summary>
    public const string Category = "OpenKbs.Aws.Audit";

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var details = string.Join(", ", record.Details.Select(d => $"{d.Key}={d.Value}"));
        LogRecord(
            _logger,
            record.Action,
            record.Resource ?? "-",
            record.Outcome,
            record.ErrorCode ?? "-",
            record.Actor.Owner,
            record.Actor.Controller,
            record.AccountId ?? "management",
            record.Region,
            record.SourceIp,
            record.RequestId ?? "-",
            record.Attempts,
            details,
            record.Time);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(
        EventId = 4000,
        Level = LogLevel.Information,
        Message = "AWS audit {Action} on {Resource}: {Outcome} {ErrorCode} by {Owner} ({Controller}) in account {AccountId} region {Region} "
            + "from {SourceIp}, request {RequestId}, attempts {Attempts}, details [{Details}] at {Time}")]
    private static partial void LogRecord(
        ILogger logger,
        string action,
        string resource,
        string outcome,
        string errorCode,
        string owner,
        string controller,
        string accountId,
        string region,
        string sourceIp,
        string requestId,
        int attempts,
        string details,
        DateTimeOffset time);
}
