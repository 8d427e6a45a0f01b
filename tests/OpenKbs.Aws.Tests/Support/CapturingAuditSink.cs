using System.Collections.Concurrent;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Aws.Tests.Support;

internal sealed class CapturingAuditSink : IAuditSink
{
    public ConcurrentQueue<AuditRecord> Records { get; } = new();

    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        Records.Enqueue(record);
        return ValueTask.CompletedTask;
    }
}
