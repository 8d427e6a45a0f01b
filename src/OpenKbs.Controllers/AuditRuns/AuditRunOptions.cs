namespace OpenKbs.Controllers.AuditRuns;

/// <summary>Settings of the AuditRun controller (configuration section <c>AuditRun</c>, e.g. <c>OPENKBS_AuditRun__AdvisoriesDirectory=/advisories</c>).</summary>
public sealed class AuditRunOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "AuditRun";

    /// <summary>A directory of OSV JSON advisories for the dependencies check; none: that check is incomplete and the run fails closed.</summary>
    public string? AdvisoriesDirectory { get; set; }

    /// <summary>The whole scan of one artifact, intake included.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Re-check while the Project, its ClientAccount or its bucket are not there yet (a Project change wakes the run at once anyway).</summary>
    public TimeSpan WaitForProject { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after its creation an AuditRun waits for a Project that does not exist before it ends terminally.</summary>
    public TimeSpan ProjectGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Workers of this controller (a scan is CPU-bound: keep it low).</summary>
    public int? MaxConcurrentReconciles { get; set; } = 1;

    /// <summary>What is wrong with these settings (empty when nothing is).</summary>
    public IEnumerable<string> Failures() => Shared.OptionsRules.Check(
        SectionName,
        [(nameof(TimeLimit), TimeLimit), (nameof(WaitForProject), WaitForProject), (nameof(ProjectGrace), ProjectGrace)],
        [(nameof(MaxConcurrentReconciles), MaxConcurrentReconciles)]);
}
