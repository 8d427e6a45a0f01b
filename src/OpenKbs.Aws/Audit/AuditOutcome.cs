namespace OpenKbs.Aws.Audit;

/// <summary>The values of <see cref="AuditRecord.Outcome"/>.</summary>
public static class AuditOutcome
{
    public const string Success = "Success";

    public const string Failure = "Failure";

    /// <summary>Stopped before anything was sent (EU region guard).</summary>
    public const string Refused = "Refused";

    /// <summary>Recorded before a mutating call is sent (durable journal only); its outcome follows in a record referring to it.</summary>
    public const string Pending = "Pending";

    /// <summary>A pending call whose outcome was never recorded (the operator stopped in between); written by start-up recovery.</summary>
    public const string Unknown = "Unknown";
}
