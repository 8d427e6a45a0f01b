namespace OpenKbs.Aws.Resilience;

/// <summary>Retry, timeout and rate-limit settings. The defaults suit production; tests shorten the delays.</summary>
public sealed class AwsResilienceOptions
{
    /// <summary>Retries after the first attempt (so at most MaxRetryAttempts + 1 HTTP requests per call). After that the controller's own backoff takes over.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The median first delay of the jittered exponential backoff.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>No single backoff (nor a honoured Retry-After) waits longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Apply the client-side rate limits of <see cref="AwsRateLimits"/>.</summary>
    public bool EnableRateLimits { get; set; } = true;

    /// <summary>How many calls may wait for a rate-limit token per (account, API family) before new ones are rejected as throttled.</summary>
    public int RateLimitQueueLimit { get; set; } = 1000;
}
