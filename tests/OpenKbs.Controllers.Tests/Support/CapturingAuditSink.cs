using System.Collections.Concurrent;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Controllers.Tests.Support;

internal sealed class CapturingAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditRecord> _records = new();

    public IReadOnlyList<AuditRecord> Records => [.. _records];

    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        _records.Enqueue(record);
        return ValueTask.CompletedTask;
    }
}
