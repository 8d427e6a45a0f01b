using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>What to audit and when the run fails.</summary>
[Immutable("AuditRun spec is immutable: create a new AuditRun to audit again")]
public sealed record AuditRunSpec
{
    /// <summary>The Project, in this namespace, whose artifact is audited.</summary>
    public required LocalObjectReference ProjectRef { get; init; }

    /// <summary>The version audited; the project's spec.version when absent.</summary>
    [MinLength(1)]
    [MaxLength(64)]
    [Pattern("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    public string? Version { get; init; }

    /// <summary>The artifact to audit; the project's spec.source when absent.</summary>
    public ArtifactSource? Source { get; init; }

    /// <summary>The lowest severity that fails the run: critical (default), high or medium.</summary>
    [Default(FailOnSeverity.Critical)]
    public FailOnSeverity FailOn { get; init; } = FailOnSeverity.Critical;

    /// <summary>The checks to run: code, secrets, dependencies, infrastructure; all of them when absent.</summary>
    [ListSet]
    [MaxItems(4)]
    public IList<AuditCheck>? Checks { get; init; }

    /// <summary>Accepted findings (at most 50), each with a reason and an expiry date; the reports list every one and whether it
    /// was used or had expired. An AuditRun the Project creates carries the Project's <c>spec.audit.suppressions</c>.</summary>
    [MaxItems(50)]
    public IList<AuditSuppression>? Suppressions { get; init; }
}
