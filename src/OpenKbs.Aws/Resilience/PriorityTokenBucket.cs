using System.Threading.RateLimiting;

namespace OpenKbs.Aws.Resilience;

/// <summary>
/// A token bucket (<c>rate</c> tokens a second, at most <c>burst</c> held) whose waiters are served urgent first, then in
/// arrival order. System.Threading.RateLimiting's <see cref="TokenBucketRateLimiter"/> has one FIFO queue, so a burst of
/// background reads (drift checks of many accounts) delayed the few calls the creation queue's hand-over makes by
/// seconds; here those jump the queue while the rate to AWS stays the same. Written by hand because no limiter with
/// priorities is served here; kept small: one lock, one timer, two queues.
/// </summary>
internal sealed class PriorityTokenBucket : IDisposable
{
    private static readonly RateLimitLease Granted = new Lease(true);
    private static readonly RateLimitLease Rejected = new Lease(false);

    /// <summary>Timers may fire a hair early against the timestamp clock; a token this close to whole counts.</summary>
    private const double Epsilon = 1e-6;

    private readonly object _gate = new();
    private readonly double _rate;
    private readonly int _burst;
    private readonly int _queueLimit;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly LinkedList<Waiter> _urgent = new();
    private readonly LinkedList<Waiter> _normal = new();
    private double _tokens;
    private long _stamp;
    private bool _armed;
    private bool _disposed;

    /// <param name="rate">Tokens added a second.</param>
    /// <param name="burst">Tokens held at most (the bucket starts full).</param>
    /// <param name="queueLimit">Waiters at most; beyond it a call is refused at once (a lease that is not acquired).</param>
    /// <param name="time">The clock and timers.</param>
    public PriorityTokenBucket(double rate, int burst, int queueLimit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentNullException.ThrowIfNull(time);
        _rate = rate;
        _burst = Math.Max(1, burst);
        _queueLimit = Math.Max(0, queueLimit);
        _time = time;
        _tokens = _burst;
        _stamp = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Grant(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waiting calls (both priorities).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _urgent.Count + _normal.Count;
            }
        }
    }

    /// <summary>
    /// A token now when one is free and nobody of the same or a higher priority waits; otherwise a place in the queue of
    /// <paramref name="priority"/>. A lease that is not acquired means the queue is full.
    /// </summary>
    public ValueTask<RateLimitLease> AcquireAsync(AwsCallPriority priority, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            Refill();
            var ahead = priority == AwsCallPriority.Urgent ? _urgent.Count : _urgent.Count + _normal.Count;
            if (ahead == 0 && _tokens >= 1)
            {
                _tokens--;
                return ValueTask.FromResult(Granted);
            }

            if (_urgent.Count + _normal.Count >= _queueLimit)
            {
                return ValueTask.FromResult(Rejected);
            }

            var queue = priority == AwsCallPriority.Urgent ? _urgent : _normal;
            waiter = new Waiter(this, queue);
            waiter.Node = queue.AddLast(waiter);
            Arm();

            // Under the lock (re-entrant if the token is cancelled meanwhile): a grant cannot slip between queueing and registering.
            waiter.Registration = cancellationToken.Register(static (state, token) => ((Waiter)state!).Bucket.Cancel((Waiter)state!, token), waiter);
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    public void Dispose()
    {
        List<Waiter> orphans;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            orphans = [.. _urgent, .. _normal];
            _urgent.Clear();
            _normal.Clear();
        }

        _timer.Dispose();
        foreach (var waiter in orphans)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(PriorityTokenBucket)));
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return; // granted already
            }

            waiter.Queue.Remove(waiter.Node);
        }

        waiter.Completion.TrySetCanceled(token);
    }

    /// <summary>The timer: hands the tokens that accrued to the waiters, urgent first.</summary>
    private void Grant()
    {
        List<Waiter> granted = [];
        lock (_gate)
        {
            _armed = false;
            if (_disposed)
            {
                return;
            }

            Refill();
            while (_tokens >= 1 - Epsilon && (_urgent.First ?? _normal.First) is { } node)
            {
                node.List!.Remove(node);
                _tokens = Math.Max(0, _tokens - 1);
                granted.Add(node.Value);
            }

            Arm();
        }

        foreach (var waiter in granted)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(Granted);
        }
    }

    /// <summary>Under the lock: schedules the timer for the next token while anyone waits.</summary>
    private void Arm()
    {
        if (_armed || (_urgent.Count == 0 && _normal.Count == 0))
        {
            return;
        }

        var due = _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _rate);
        _armed = true;
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_stamp, now).TotalSeconds * _rate));
        _stamp = now;
    }

    private sealed class Waiter(PriorityTokenBucket bucket, LinkedList<Waiter> queue)
    {
        public PriorityTokenBucket Bucket { get; } = bucket;

        public LinkedList<Waiter> Queue { get; } = queue;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
