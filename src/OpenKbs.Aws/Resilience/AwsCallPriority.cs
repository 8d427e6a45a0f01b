namespace OpenKbs.Aws.Resilience;

/// <summary>
/// How a call queues for its client-side rate-limit token (<see cref="AwsRateLimits"/>). Callers mark the few calls on a
/// latency-critical path <see cref="Urgent"/> with <see cref="AwsPriority.Urgent"/>; everything else is
/// <see cref="Normal"/>. The priority only orders waiters: the rate sent to AWS is the same.
/// </summary>
public enum AwsCallPriority
{
    /// <summary>Served in arrival order after every waiting urgent call.</summary>
    Normal = 0,

    /// <summary>Served before every waiting normal call (in arrival order among urgent ones).</summary>
    Urgent = 1,
}

/// <summary>
/// The ambient priority of the AWS calls made in the current async flow. An ambient value rather than a parameter keeps
/// the typed clients shaped like the official AWS SDK's (which has no such parameter), so replacing an adapter does
/// not touch callers.
/// </summary>
public static class AwsPriority
{
    private static readonly AsyncLocal<AwsCallPriority> Ambient = new();

    /// <summary>The priority of calls made now in this async flow.</summary>
    public static AwsCallPriority Current => Ambient.Value;

    /// <summary>Makes the calls of this async flow urgent until the returned scope is disposed.</summary>
    public static IDisposable Urgent() => new Scope(AwsCallPriority.Urgent);

    private sealed class Scope : IDisposable
    {
        private readonly AwsCallPriority _previous;
        private int _disposed;

        public Scope(AwsCallPriority priority)
        {
            _previous = Ambient.Value;
            Ambient.Value = priority;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Ambient.Value = _previous;
            }
        }
    }
}
