using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;

namespace OpenKbs.Audit.Engine;

public enum CheckStatus
{
    /// <summary>The check read everything it was meant to.</summary>
    Completed,

    /// <summary>The check could not finish (e.g. no advisory source); its findings so far are kept.</summary>
    Incomplete,

    /// <summary>The check threw; it reported nothing.</summary>
    Failed,

    /// <summary>The run's time limit ended the check (or the run ended before it started).</summary>
    TimedOut,
}

/// <summary>One check of a run: how it ended, how long it took, how many findings, and what data it used.</summary>
public sealed record CheckRun(string Name, CheckStatus Status, TimeSpan Duration, int FindingCount, string? Message, string? Provenance);

/// <summary>What was audited: its name, where it came from (null: not named), the artifact's verified digest and the intake's manifest.</summary>
public sealed record ArtifactSummary(string Subject, string Sha256, string Format, int FileCount, long TotalBytes, IReadOnlyList<ArtifactNote> Notes, string? Source = null);

/// <summary>A finished audit run: the input, each check, the gate's verdict over the findings, and the times.</summary>
public sealed record AuditResult
{
    public const string SchemaVersion = "openkbs.audit/v1";

    public required string ToolVersion { get; init; }

    public required ArtifactSummary Artifact { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required IReadOnlyList<CheckRun> Checks { get; init; }

    public required GateResult Gate { get; init; }

    public required AuditPolicy Policy { get; init; }

    public Verdict Verdict => Gate.Verdict;

    /// <summary>Open (not suppressed) findings per severity.</summary>
    public IReadOnlyDictionary<Severity, int> OpenCounts =>
        Enum.GetValues<Severity>().ToDictionary(s => s, s => Gate.Findings.Count(f => f.SuppressedBy is null && f.Finding.Severity == s));
}
