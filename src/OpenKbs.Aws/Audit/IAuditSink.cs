namespace OpenKbs.Aws.Audit;

/// <summary>
/// Where audit records go. Register any number of sinks in DI (<c>services.AddSingleton&lt;IAuditSink, MySink&gt;()</c>); every record
/// reaches every sink. A sink that throws is logged and skipped, never fails the AWS call (which already happened).
/// Sinks now: structured log (<see cref="LoggingAuditSink"/>); the controllers add a Kubernetes Event sink; a database sink can follow.
/// </summary>
public interface IAuditSink
{
    ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken);
}
