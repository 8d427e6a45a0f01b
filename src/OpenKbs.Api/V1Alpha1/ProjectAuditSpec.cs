using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The Project's deployment gate on security audits.</summary>
public sealed record ProjectAuditSpec
{
    /// <summary>When true, a version's artifact is deployed only when an AuditRun of this Project has Passed for exactly that
    /// artifact SHA-256 (and version); until then the running version keeps serving.</summary>
    public bool Required { get; init; }

    /// <summary>When true, the operator creates the AuditRun of each version itself (named after the Project, the version and
    /// the artifact's short digest, owned by the Project), unless an AuditRun of that version and SHA-256 exists already.
    /// Absent: the value of <c>required</c>. Set it to false when a pipeline creates the AuditRuns.</summary>
    public bool? CreateRuns { get; init; }

    /// <summary>Accepted findings (at most 50), each with a reason and an expiry date, copied into every AuditRun the operator
    /// creates for this Project (at its creation: a run's spec never changes). AuditRuns a pipeline creates carry their own.</summary>
    [MaxItems(50)]
    public IList<AuditSuppression>? Suppressions { get; init; }
}
