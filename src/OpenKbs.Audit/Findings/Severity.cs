namespace OpenKbs.Audit.Findings;

/// <summary>How bad a finding is; ordered so that a higher value is worse (gate thresholds compare with &gt;=).</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
