using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Gate;

public enum Verdict
{
    Passed,
    Failed,
}

/// <summary>A finding as the gate sees it: suppressed (by which suppression), blocking, or neither.</summary>
public sealed record AssessedFinding(Finding Finding, Suppression? SuppressedBy, bool Blocks)
{
    /// <summary>An expired suppression that matched this finding and no longer hides it.</summary>
    public Suppression? ExpiredSuppression { get; init; }
}

public enum SuppressionState
{
    /// <summary>In force and matched at least one finding.</summary>
    Active,

    /// <summary>Past its expiry date: the findings it matched count again.</summary>
    Expired,

    /// <summary>In force but matched nothing (the finding is gone, or the suppression is wrong).</summary>
    Unused,
}

public sealed record SuppressionOutcome(Suppression Suppression, SuppressionState State, int Matched);

/// <summary>The gate's decision: the verdict, every finding assessed, every suppression's outcome, and why it failed.</summary>
public sealed record GateResult(Verdict Verdict, Severity FailOn, IReadOnlyList<AssessedFinding> Findings, IReadOnlyList<SuppressionOutcome> Suppressions, IReadOnlyList<string> Reasons)
{
    public IEnumerable<AssessedFinding> Blocking => Findings.Where(f => f.Blocks);
}
