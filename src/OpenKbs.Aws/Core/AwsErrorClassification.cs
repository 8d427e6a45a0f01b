namespace OpenKbs.Aws.Core;

/// <summary>What the caller should do about a failed AWS call. One value per error, decided by <see cref="AwsErrorCodes"/>.</summary>
public enum AwsErrorClassification
{
    /// <summary>AWS asked us to slow down (throttling codes, HTTP 429). Safe to retry after a backoff.</summary>
    Throttling,

    /// <summary>A temporary fault (HTTP 5xx, timeouts, connection failures). Retry with backoff.</summary>
    Transient,

    /// <summary>The object is in a state that forbids the call right now (concurrent modification, already exists, in use). Re-read and retry later.</summary>
    Conflict,

    /// <summary>The object does not exist.</summary>
    NotFound,

    /// <summary>Retrying the same request cannot succeed (validation, access denied, quota, EU guard). Stop until the spec changes.</summary>
    Terminal,
}
