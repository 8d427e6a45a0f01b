namespace OpenKbs.Api.V1Alpha1;

/// <summary>The Project's deployment gate on security audits.</summary>
public sealed record ProjectAuditSpec
{
    /// <summary>When true, a version's artifact is deployed only when an AuditRun of this Project has Passed for exactly that
    /// artifact SHA-256 (and version); until then the running version keeps serving.</summary>
    public bool Required { get; init; }
}
