namespace OpenKbs.Aws.Audit;

/// <summary>
/// The durable audit trail could not record a mutation before it was sent, so nothing was sent (fail closed). Transient:
/// the controllers retry with backoff and report the condition reason <c>AuditTrailUnavailable</c> meanwhile.
/// </summary>
public sealed class AuditTrailUnavailableException : Exception
{
    /// <summary>The condition reason controllers report.</summary>
    public const string Reason = "AuditTrailUnavailable";

    public AuditTrailUnavailableException()
        : this("The audit trail is unavailable; no AWS change is made until it records again.")
    {
    }

    public AuditTrailUnavailableException(string message)
        : base(message)
    {
    }

    public AuditTrailUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The action that was not sent, e.g. <c>s3:CreateBucket</c>.</summary>
    public string? Action { get; init; }
}
