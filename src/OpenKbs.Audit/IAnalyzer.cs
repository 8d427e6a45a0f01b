using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit;

/// <summary>One check of the audit (code, secrets, dependencies). Pure: reads the artifact, returns findings; no network, no credentials.</summary>
public interface IAnalyzer
{
    /// <summary>The check's name as in AuditRun.spec.checks: code, secrets, dependencies, infrastructure.</summary>
    string Name { get; }

    Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken);
}
