using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Engine;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>Runs one audit of an artifact already fetched and verified: the seam between the controller and where the scan runs.</summary>
internal interface IAuditScanner
{
    /// <summary>The checks this scanner can run (e.g. code, dependencies, secrets).</summary>
    IReadOnlyList<string> AvailableChecks { get; }

    /// <exception cref="Audit.Intake.ArtifactRejectedException">the artifact is unsafe, corrupt or has another digest.</exception>
    /// <exception cref="AuditTimeoutException">the run's time limit passed.</exception>
    Task<AuditResult> ScanAsync(AuditRequest request, CancellationToken cancellationToken);
}

/// <summary>The audit engine in the operator's process, with the advisories of <see cref="AuditRunOptions.AdvisoriesDirectory"/>.</summary>
internal sealed class InProcessAuditScanner(AuditRunOptions options, TimeProvider clock) : IAuditScanner
{
    private readonly AuditEngine _engine = new(
        AuditEngine.DefaultAnalyzers(options.AdvisoriesDirectory is { } directory ? new DirectoryAdvisorySource(directory) : null), time: clock);

    public IReadOnlyList<string> AvailableChecks => _engine.AvailableChecks;

    public Task<AuditResult> ScanAsync(AuditRequest request, CancellationToken cancellationToken) => _engine.RunAsync(request, cancellationToken);
}
