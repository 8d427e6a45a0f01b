using System.Collections.Concurrent;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>Thread-safe counters behind <see cref="AwsChaosStats"/>.</summary>
internal sealed class ChaosCounters
{
    private const int MaxLog = 10_000;
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _faultsByOperation = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AwsFaultKind, long> _faults = new();
    private readonly ConcurrentDictionary<string, long> _realism = new(StringComparer.Ordinal);
    private readonly Queue<AwsFaultRecord> _log = new();
    private readonly Lock _logGate = new();
    private long _total;
    private long _delayed;

    public long Request(AwsRequestInfo request)
    {
        _requests.AddOrUpdate(request.Key, 1, (_, n) => n + 1);
        return Interlocked.Increment(ref _total);
    }

    public void Delayed() => Interlocked.Increment(ref _delayed);

    public void Fault(AwsFaultRecord record)
    {
        _faults.AddOrUpdate(record.Kind, 1, (_, n) => n + 1);
        _faultsByOperation.AddOrUpdate(record.Service + ":" + record.Operation, 1, (_, n) => n + 1);
        lock (_logGate)
        {
            _log.Enqueue(record);
            if (_log.Count > MaxLog)
            {
                _log.Dequeue();
            }
        }
    }

    public void Realism(string name) => _realism.AddOrUpdate(name, 1, (_, n) => n + 1);

    public AwsChaosStats Snapshot()
    {
        lock (_logGate)
        {
            return new AwsChaosStats
            {
                Requests = Interlocked.Read(ref _total),
                Delayed = Interlocked.Read(ref _delayed),
                Faults = new Dictionary<AwsFaultKind, long>(_faults),
                RequestsByOperation = new SortedDictionary<string, long>(_requests, StringComparer.Ordinal),
                FaultsByOperation = new SortedDictionary<string, long>(_faultsByOperation, StringComparer.Ordinal),
                RealismEvents = new SortedDictionary<string, long>(_realism, StringComparer.Ordinal),
                FaultLog = _log.ToArray(),
            };
        }
    }

    public void Clear()
    {
        lock (_logGate)
        {
            _requests.Clear();
            _faultsByOperation.Clear();
            _faults.Clear();
            _realism.Clear();
            _log.Clear();
            Interlocked.Exchange(ref _total, 0);
            Interlocked.Exchange(ref _delayed, 0);
        }
    }
}
