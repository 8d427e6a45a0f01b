namespace OpenKbs.Runtime.Queue;

/// <summary>
/// Per-item exponential failure backoff, as client-go's ItemExponentialFailureRateLimiter: the n-th consecutive
/// failure of an item waits <c>base * 2^(n-1)</c>, capped; <see cref="Forget"/> resets the item after a success.
/// </summary>
internal sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly Dictionary<ObjectKey, int> _failures = [];
    private readonly Lock _lock = new();

    public TimeSpan BaseDelay { get; } = baseDelay > TimeSpan.Zero ? baseDelay : throw new ArgumentOutOfRangeException(nameof(baseDelay));

    public TimeSpan MaxDelay { get; } = maxDelay >= baseDelay ? maxDelay : throw new ArgumentOutOfRangeException(nameof(maxDelay));

    /// <summary>Records one more failure of <paramref name="key"/> and returns how long to wait before retrying it.</summary>
    public TimeSpan When(ObjectKey key)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(key, out exponent);
            _failures[key] = exponent + 1;
        }

        return Delay(exponent);
    }

    /// <summary>The delay for a given number of earlier failures (0 for the first retry).</summary>
    public TimeSpan Delay(int exponent)
    {
        if (exponent >= 62)
        {
            return MaxDelay;
        }

        var ticks = (double)BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(ObjectKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int NumRequeues(ObjectKey key)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(key, out var n) ? n : 0;
        }
    }
}
