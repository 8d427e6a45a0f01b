namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// A resource's pending phase (IN_PROGRESS, Pending, creating, ...): it lasts for a number of status
/// reads and, when a delay is set, until that time has passed. Not thread-safe; modules lock.
/// </summary>
internal sealed class PendingTransition(int polls, DateTimeOffset notBefore)
{
    private int _remaining = polls;

    /// <summary>A status read: answers whether this read still shows the pending state, and counts it.</summary>
    public bool Observe(DateTimeOffset now)
    {
        if (_remaining > 0)
        {
            _remaining--;
            return true;
        }

        return now < notBefore;
    }

    /// <summary>Whether the resource is still pending, without counting a read.</summary>
    public bool IsPending(DateTimeOffset now) => _remaining > 0 || now < notBefore;

    public static PendingTransition Start(int polls, TimeSpan delay, DateTimeOffset now) => new(polls, now + delay);
}
