using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The outcome of an audit. Individual findings live in the report, not here (object size).</summary>
public sealed class AuditRunStatus : ResourceStatus
{
    /// <summary>Pending, Running, Passed, Failed or Error.</summary>
    public AuditPhase? Phase { get; set; }

    /// <summary>The version audited.</summary>
    [MaxLength(64)]
    public string? Version { get; set; }

    /// <summary>The SHA-256 of the artifact audited.</summary>
    [Pattern(Patterns.Sha256)]
    public string? ArtifactSha256 { get; set; }

    /// <summary>Findings by severity.</summary>
    public FindingCounts? Findings { get; set; }

    /// <summary>Where the full report (Markdown, JSON, SARIF) is.</summary>
    public ReportReference? ReportRef { get; set; }

    /// <summary>When the checks started.</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>When the run finished.</summary>
    public DateTime? CompletedAt { get; set; }
}
