using System.Collections.Concurrent;

namespace OpenKbs.Aws.Resilience;

/// <summary>
/// "At most N operations in flight per key" (e.g. 5 CreateAccount requests IN_PROGRESS per organization). Unlike a rate limit
/// an in-flight slot lasts minutes (until DescribeCreateAccountStatus reports SUCCEEDED/FAILED) and must survive restarts, so the
/// owner of the slots is the caller: the ClientAccount controller seeds it from status (<see cref="Restore"/>) and releases on
/// completion. The limiter never blocks: <see cref="TryAcquire"/> says yes or no, and the controller requeues on no.
/// </summary>
public sealed class InFlightLimiter(int capacity)
{
    /// <summary>AWS Organizations: create-account requests that may be in progress at once (ConstraintViolationException ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED beyond).</summary>
    public const int CreateAccountCapacity = 5;

    private readonly ConcurrentDictionary<string, HashSet<string>> _slots = new(StringComparer.Ordinal);

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Takes a slot for <paramref name="holder"/> under <paramref name="key"/>; true if it already holds one.</summary>
    public bool TryAcquire(string key, string holder)
    {
        var set = _slots.GetOrAdd(key, static _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            if (set.Contains(holder))
            {
                return true;
            }

            if (set.Count >= Capacity)
            {
                return false;
            }

            set.Add(holder);
            return true;
        }
    }

    /// <summary>Frees the slot of <paramref name="holder"/> (no-op if it holds none).</summary>
    public void Release(string key, string holder)
    {
        if (_slots.TryGetValue(key, out var set))
        {
            lock (set)
            {
                set.Remove(holder);
            }
        }
    }

    /// <summary>Re-seeds slots after a restart (from the request ids persisted in status), even beyond capacity.</summary>
    public void Restore(string key, IEnumerable<string> holders)
    {
        ArgumentNullException.ThrowIfNull(holders);
        var set = _slots.GetOrAdd(key, static _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            foreach (var holder in holders)
            {
                set.Add(holder);
            }
        }
    }

    public int InFlight(string key)
    {
        if (!_slots.TryGetValue(key, out var set))
        {
            return 0;
        }

        lock (set)
        {
            return set.Count;
        }
    }
}
