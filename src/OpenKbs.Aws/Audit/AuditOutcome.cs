namespace OpenKbs.Aws.Audit;

/// <summary>The values of <see cref="AuditRecord.Outcome"/>.</summary>
public static class AuditOutcome
{
    public const string Success = "Success";

    public const string Failure = "Failure";

    /// <summary>Stopped before anything was sent (EU region guard).</summary>
    public const string Refused = "Refused";
}
