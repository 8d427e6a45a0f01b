namespace OpenKbs.Api.V1Alpha1;

/// <summary>Where an AuditRun is.</summary>
public enum AuditPhase
{
    /// <summary>Not started (e.g. waiting for the Project).</summary>
    Pending,

    /// <summary>The checks are running.</summary>
    Running,

    /// <summary>Finished; no finding at or above failOn.</summary>
    Passed,

    /// <summary>Finished; findings at or above failOn.</summary>
    Failed,

    /// <summary>The audit could not run (e.g. the artifact is missing or its SHA-256 differs); see the Ready condition.</summary>
    Error,
}
