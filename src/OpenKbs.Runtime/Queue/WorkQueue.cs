namespace OpenKbs.Runtime.Queue;

/// <summary>
/// The work queue of one controller, with client-go's semantics: a key waits at most once (adds while it waits are
/// merged), a key being processed is never handed to a second worker (an add during processing re-queues it when
/// <see cref="Done"/> is called), delayed adds (earliest wins, or <see cref="Reschedule"/> to replace), and per-key
/// exponential backoff through <see cref="AddRateLimited"/> / <see cref="Forget"/>.
/// Time comes from the injected <see cref="TimeProvider"/>, so tests drive the delayed adds with a fake clock.
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private readonly IWorkQueueMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly Queue<ObjectKey> _fifo = new();
    private readonly Dictionary<ObjectKey, Pending> _dirty = [];
    private readonly Dictionary<ObjectKey, long> _processing = [];
    private readonly Dictionary<ObjectKey, Waiting> _waiting = [];
    private readonly PriorityQueue<ObjectKey, DateTimeOffset> _heap = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ITimer _timer;
    private DateTimeOffset? _timerDue;
    private bool _shuttingDown;

    public WorkQueue(TimeProvider time, ExponentialBackoff backoff, IWorkQueueMetrics? metrics = null)
    {
        _time = time;
        _backoff = backoff;
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keys ready for a worker.</summary>
    public int Length
    {
        get
        {
            lock (_lock)
            {
                return _fifo.Count;
            }
        }
    }

    /// <summary>Keys waiting for a delayed add.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    public bool IsShutDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(ObjectKey key, ReconcileTrigger trigger)
    {
        lock (_lock)
        {
            AddLocked(key, trigger);
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; if it already waits for an earlier time, that time is kept.</summary>
    public void AddAfter(ObjectKey key, TimeSpan delay, ReconcileTrigger trigger) => Schedule(key, delay, trigger, replace: false);

    /// <summary>Adds the key after <paramref name="delay"/>, replacing any time it already waits for (the latest pass knows best).</summary>
    public void Reschedule(ObjectKey key, TimeSpan delay, ReconcileTrigger trigger) => Schedule(key, delay, trigger, replace: true);

    /// <summary>Adds the key after its next backoff delay (5 ms, 10 ms, 20 ms, ... up to the cap).</summary>
    public TimeSpan AddRateLimited(ObjectKey key, ReconcileTrigger trigger)
    {
        var delay = _backoff.When(key);
        _metrics.Retried();
        Schedule(key, delay, trigger, replace: true);
        return delay;
    }

    /// <summary>Resets the key's backoff (after a successful pass).</summary>
    public void Forget(ObjectKey key) => _backoff.Forget(key);

    public int NumRequeues(ObjectKey key) => _backoff.NumRequeues(key);

    /// <summary>Waits for the next key. Returns null once the queue is shut down.</summary>
    public async ValueTask<WorkItem?> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        try
        {
            await _available.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        lock (_lock)
        {
            if (_shuttingDown || !_fifo.TryDequeue(out var key))
            {
                return null;
            }

            _dirty.Remove(key, out var pending);
            _processing[key] = _time.GetTimestamp();
            _metrics.QueueLatency(_time.GetElapsedTime(pending.AddedAt));
            _metrics.Depth(_fifo.Count);
            return new WorkItem(key, pending.Trigger);
        }
    }

    /// <summary>Marks the key as processed; if it was added meanwhile it goes back in line.</summary>
    public void Done(ObjectKey key)
    {
        lock (_lock)
        {
            if (_processing.Remove(key, out var started))
            {
                _metrics.WorkDuration(_time.GetElapsedTime(started));
            }

            if (!_shuttingDown && _dirty.ContainsKey(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Durations of the keys being processed right now (for the unfinished-work metrics).</summary>
    public IReadOnlyList<TimeSpan> InFlight()
    {
        lock (_lock)
        {
            return _processing.Values.Select(started => _time.GetElapsedTime(started)).ToList();
        }
    }

    public bool IsProcessing(ObjectKey key)
    {
        lock (_lock)
        {
            return _processing.ContainsKey(key);
        }
    }

    /// <summary>Drops every waiting and delayed key, wakes the workers (they get null) and refuses new adds.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            _fifo.Clear();
            _dirty.Clear();
            _waiting.Clear();
            _heap.Clear();
            _timerDue = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _metrics.Depth(0);
        }

        _shutdown.Cancel();
    }

    public void Dispose()
    {
        _timer.Dispose();
        _available.Dispose();
        _shutdown.Dispose();
    }

    private void Schedule(ObjectKey key, TimeSpan delay, ReconcileTrigger trigger, bool replace)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                _waiting.Remove(key);
                AddLocked(key, trigger);
                ArmTimerLocked();
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var existing) && !replace && existing.Due <= due)
            {
                _waiting[key] = existing with { Trigger = existing.Trigger | trigger };
                return;
            }

            _waiting[key] = new Waiting(due, trigger);
            _heap.Enqueue(key, due);
            ArmTimerLocked();
        }
    }

    private void AddLocked(ObjectKey key, ReconcileTrigger trigger)
    {
        if (_shuttingDown)
        {
            return;
        }

        _metrics.Added();
        if (_dirty.TryGetValue(key, out var pending))
        {
            _dirty[key] = pending with { Trigger = pending.Trigger | trigger };
            return;
        }

        _dirty[key] = new Pending(trigger, _time.GetTimestamp());
        if (_processing.ContainsKey(key))
        {
            return;
        }

        Enqueue(key);
    }

    private void Enqueue(ObjectKey key)
    {
        _fifo.Enqueue(key);
        _metrics.Depth(_fifo.Count);
        _available.Release();
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            _timerDue = null;
            var now = _time.GetUtcNow();
            while (_heap.TryPeek(out var key, out var due) && due <= now)
            {
                _heap.Dequeue();
                if (_waiting.TryGetValue(key, out var waiting) && waiting.Due == due)
                {
                    _waiting.Remove(key);
                    AddLocked(key, waiting.Trigger);
                }
            }

            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        // Drop stale heap entries (keys rescheduled or already added) so the timer aims at a live one.
        while (_heap.TryPeek(out var key, out var due) && (!_waiting.TryGetValue(key, out var waiting) || waiting.Due != due))
        {
            _heap.Dequeue();
        }

        if (!_heap.TryPeek(out _, out var next))
        {
            if (_timerDue is not null)
            {
                _timerDue = null;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        if (_timerDue == next)
        {
            return;
        }

        _timerDue = next;
        var dueIn = next - _time.GetUtcNow();
        _timer.Change(dueIn > TimeSpan.FromTicks(1) ? dueIn : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    private readonly record struct Pending(ReconcileTrigger Trigger, long AddedAt);

    private readonly record struct Waiting(DateTimeOffset Due, ReconcileTrigger Trigger);
}
