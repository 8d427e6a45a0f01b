namespace OpenKbs.Runtime.Queue;

/// <summary>
/// The work queue of one controller, with client-go's semantics: a key waits at most once (adds while it waits are
/// merged), a key being processed is never handed to a second worker (an add during processing re-queues it when
/// <see cref="Done"/> is called), delayed adds (earliest wins, or <see cref="Reschedule"/> to replace), and per-key
/// exponential backoff through <see cref="AddRateLimited"/> / <see cref="Forget"/>.
/// Time comes from the injected <see cref="TimeProvider"/>, so tests drive the delayed adds with a fake clock.
/// <para>
/// Two lanes: a key for which the controller's <c>isUrgent</c> predicate holds when it becomes ready goes into the
/// urgent FIFO, which every worker serves before the normal FIFO; <see cref="GetUrgentAsync"/> serves reserved workers
/// that take urgent keys only. A key already waiting in the normal FIFO moves to the urgent one when it is added again
/// and has become urgent. Workers wait as waiter records under the queue's lock: a key that becomes ready is handed
/// straight to a waiting worker that may take it (a reserved worker first for an urgent key), so no wake-up is lost and
/// a worker never wakes to an empty queue. Written by hand after controller-runtime's priority queue (v0.20): there is
/// no .NET library with client-go's semantics.
/// </para>
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private readonly IWorkQueueMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly Func<ObjectKey, bool>? _isUrgent;
    private readonly Queue<Entry> _urgent = new();
    private readonly Queue<Entry> _normal = new();
    private readonly Dictionary<ObjectKey, Entry> _ready = [];
    private readonly LinkedList<Waiter> _anyWaiters = new();
    private readonly LinkedList<Waiter> _urgentWaiters = new();
    private readonly Dictionary<ObjectKey, Pending> _dirty = [];
    private readonly Dictionary<ObjectKey, long> _processing = [];
    private readonly Dictionary<ObjectKey, Waiting> _waiting = [];
    private readonly PriorityQueue<ObjectKey, DateTimeOffset> _heap = new();
    private readonly ITimer _timer;
    private DateTimeOffset? _timerDue;
    private bool _shuttingDown;
    private long _sequence;

    /// <summary>
    /// <paramref name="isUrgent"/> says which keys go into the urgent lane, evaluated when a key becomes ready (under
    /// the queue's lock: keep it fast and never call back into the queue). Null: every key is normal.
    /// </summary>
    public WorkQueue(TimeProvider time, ExponentialBackoff backoff, IWorkQueueMetrics? metrics = null, Func<ObjectKey, bool>? isUrgent = null)
    {
        _time = time;
        _backoff = backoff;
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
        _isUrgent = isUrgent;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keys ready for a worker (both lanes).</summary>
    public int Length
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Keys ready for a worker in the urgent lane.</summary>
    public int UrgentLength
    {
        get
        {
            lock (_lock)
            {
                return _ready.Values.Count(e => e.Urgent);
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

    /// <summary>
    /// Waits for the next key, urgent keys first. Returns null once the queue is shut down; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends the wait first.
    /// </summary>
    public ValueTask<WorkItem?> GetAsync(CancellationToken cancellationToken) => GetAsync(urgentOnly: false, cancellationToken);

    /// <summary>As <see cref="GetAsync(CancellationToken)"/> for a reserved worker: waits for an urgent key, never takes a normal one.</summary>
    public ValueTask<WorkItem?> GetUrgentAsync(CancellationToken cancellationToken) => GetAsync(urgentOnly: true, cancellationToken);

    private async ValueTask<WorkItem?> GetAsync(bool urgentOnly, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return null;
            }

            if (TryTakeLocked(urgentOnly, out var item))
            {
                return item;
            }

            waiter = new Waiter();
            waiter.Node = (urgentOnly ? _urgentWaiters : _anyWaiters).AddLast(waiter);
        }

        // Whoever unlinks the waiter (under the lock) completes it: a hand-off, shutdown or this cancellation.
        await using var registration = cancellationToken.Register(() => CancelWaiter(waiter, cancellationToken)).ConfigureAwait(false);
        return await waiter.Result.Task.ConfigureAwait(false);
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
                EnqueueLocked(key);
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
        List<Waiter> waiters;
        lock (_lock)
        {
            _shuttingDown = true;
            _urgent.Clear();
            _normal.Clear();
            _ready.Clear();
            _dirty.Clear();
            _waiting.Clear();
            _heap.Clear();
            _timerDue = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _metrics.Depth(0);
            waiters = [.. _anyWaiters, .. _urgentWaiters];
            _anyWaiters.Clear();
            _urgentWaiters.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.Result.TrySetResult(null);
        }
    }

    public void Dispose() => _timer.Dispose();

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
            PromoteLocked(key);
            return;
        }

        _dirty[key] = new Pending(trigger, _time.GetTimestamp());
        if (_processing.ContainsKey(key))
        {
            return;
        }

        EnqueueLocked(key);
    }

    private void EnqueueLocked(ObjectKey key)
    {
        var entry = new Entry(key, ++_sequence, IsUrgentKey(key));
        _ready[key] = entry;
        (entry.Urgent ? _urgent : _normal).Enqueue(entry);
        _metrics.Depth(_ready.Count);
        DispatchLocked();
    }

    /// <summary>A key waiting in the normal lane that has become urgent moves to the end of the urgent lane.</summary>
    private void PromoteLocked(ObjectKey key)
    {
        if (_ready.TryGetValue(key, out var entry) && !entry.Urgent && IsUrgentKey(key))
        {
            // The normal lane's entry goes stale (its sequence no longer matches) and is skipped when reached.
            var promoted = new Entry(key, ++_sequence, Urgent: true);
            _ready[key] = promoted;
            _urgent.Enqueue(promoted);
            DispatchLocked();
        }
    }

    private bool IsUrgentKey(ObjectKey key)
    {
        if (_isUrgent is null)
        {
            return false;
        }

        try
        {
            return _isUrgent(key);
        }
        catch (Exception)
        {
            // A failing predicate must not lose the key: it waits in the normal lane.
            return false;
        }
    }

    /// <summary>Hands ready keys to waiting workers: urgent keys to reserved workers first, then anything to general workers.</summary>
    private void DispatchLocked()
    {
        while (true)
        {
            if (_urgentWaiters.First is { } reserved && TryTakeLocked(urgentOnly: true, out var urgent))
            {
                _urgentWaiters.Remove(reserved);
                reserved.Value.Result.TrySetResult(urgent);
                continue;
            }

            if (_anyWaiters.First is { } general && TryTakeLocked(urgentOnly: false, out var any))
            {
                _anyWaiters.Remove(general);
                general.Value.Result.TrySetResult(any);
                continue;
            }

            return;
        }
    }

    private bool TryTakeLocked(bool urgentOnly, out WorkItem? item)
    {
        if (TryDequeueLocked(_urgent, out var key) || (!urgentOnly && TryDequeueLocked(_normal, out key)))
        {
            _dirty.Remove(key, out var pending);
            _processing[key] = _time.GetTimestamp();
            _metrics.QueueLatency(_time.GetElapsedTime(pending.AddedAt));
            _metrics.Depth(_ready.Count);
            item = new WorkItem(key, pending.Trigger);
            return true;
        }

        item = null;
        return false;
    }

    private bool TryDequeueLocked(Queue<Entry> lane, out ObjectKey key)
    {
        while (lane.TryDequeue(out var entry))
        {
            if (_ready.TryGetValue(entry.Key, out var live) && live.Sequence == entry.Sequence)
            {
                _ready.Remove(entry.Key);
                key = entry.Key;
                return true;
            }
        }

        key = default;
        return false;
    }

    private void CancelWaiter(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            waiter.Node.List.Remove(waiter.Node);
        }

        waiter.Result.TrySetCanceled(cancellationToken);
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

    /// <summary>A key's place in a lane; entries whose sequence no longer matches <c>_ready</c> are stale and skipped.</summary>
    private readonly record struct Entry(ObjectKey Key, long Sequence, bool Urgent);

    /// <summary>A worker waiting for a key; linked in <c>_anyWaiters</c> or <c>_urgentWaiters</c> while it waits.</summary>
    private sealed class Waiter
    {
        public TaskCompletionSource<WorkItem?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    private readonly record struct Pending(ReconcileTrigger Trigger, long AddedAt);

    private readonly record struct Waiting(DateTimeOffset Due, ReconcileTrigger Trigger);
}
