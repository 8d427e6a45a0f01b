using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Audit;

/// <summary>
/// The deployment gate of <c>spec.audit.required</c>: the functions take a new artifact only when an AuditRun of this Project
/// (same namespace) has Passed for exactly that SHA-256 and version. Until then the running version keeps serving and
/// FunctionsReady says why: WaitingForAudit (no AuditRun yet, or one still running) or TerminalAuditFailed (the audit blocked it,
/// with the AuditRun's own words naming the blocking findings). An AuditRun's status change wakes the Project
/// (<see cref="ProjectRegistration"/> watches AuditRuns).
/// </summary>
internal sealed class AuditGate(IResourceCache<AuditRun> runs)
{
    /// <summary>How long a waiting Project looks again without an AuditRun event.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    /// <summary>The AuditRun of <paramref name="name"/> in the Project's namespace, as the cache has it.</summary>
    public AuditRun? Get(Project project, string name)
    {
        ArgumentNullException.ThrowIfNull(project);
        return runs.Get(project.Metadata.NamespaceProperty, name);
    }

    /// <summary>The AuditRuns of this Project (same namespace) that audit exactly its spec's version and <paramref name="sha256"/>, by name.</summary>
    public IReadOnlyList<AuditRun> RunsFor(Project project, string sha256)
    {
        ArgumentNullException.ThrowIfNull(project);
        var version = project.Spec.Version;
        return runs.List(project.Metadata.NamespaceProperty)
            .Where(r => string.Equals(r.Spec.ProjectRef.Name, project.Metadata.Name, StringComparison.Ordinal))
            .Where(r => string.Equals(r.Status?.ArtifactSha256 ?? r.Spec.Source?.Sha256 ?? project.Spec.Source?.Sha256, sha256, StringComparison.Ordinal))
            .Where(r => string.Equals(r.Status?.Version ?? r.Spec.Version ?? version, version, StringComparison.Ordinal))
            .OrderBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The completed AuditRuns of this Project (same namespace) of artifact <paramref name="sha256"/> (any version), oldest completion first.</summary>
    public IReadOnlyList<AuditRun> CompletedRunsOf(Project project, string sha256)
    {
        ArgumentNullException.ThrowIfNull(project);
        return runs.List(project.Metadata.NamespaceProperty)
            .Where(r => string.Equals(r.Spec.ProjectRef.Name, project.Metadata.Name, StringComparison.Ordinal))
            .Where(r => r.Status?.CompletedAt is not null && string.Equals(r.Status.ArtifactSha256, sha256, StringComparison.Ordinal))
            .OrderBy(r => r.Status!.CompletedAt)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Null when the artifact may be deployed; else the outcome that holds the functions back.</summary>
    public StepOutcome? Check(Project project, string sha256)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.Spec.Audit?.Required != true || string.Equals(project.Status?.ArtifactSha256, sha256, StringComparison.Ordinal))
        {
            return null;
        }

        var version = project.Spec.Version;
        var mine = RunsFor(project, sha256);
        if (mine.Any(r => r.Status?.Phase == AuditPhase.Passed))
        {
            return null;
        }

        var keeps = project.Status?.DeployedVersion is { } running ? $"version {running} keeps serving" : "nothing is deployed";
        var open = mine.Where(r => r.Status?.CompletedAt is null).Select(r => $"{r.Metadata.Name} ({r.Status?.Phase ?? AuditPhase.Pending})").ToList();
        if (open.Count == 0 && mine.Count > 0 && mine[^1] is { } failed)
        {
            var why = Conditions.Find(failed.Status?.Conditions, ConditionTypes.Ready)?.Message ?? failed.Status?.Phase.ToString();
            return StepOutcome.Terminal(ConditionReasons.TerminalAuditFailed,
                $"spec.audit.required: AuditRun '{failed.Metadata.Name}' of version {version} (sha256 {sha256}) ended {failed.Status?.Phase}: {why}. "
                + $"Not deployed; {keeps}. Fix the findings and deploy a new artifact, or create a new AuditRun");
        }

        var what = open.Count == 0
            ? $"no AuditRun of Project '{project.Metadata.Name}' audits it: create one (spec.projectRef.name: {project.Metadata.Name})"
            : $"waiting for AuditRun {string.Join(", ", open)}";
        return StepOutcome.Progressing(ConditionReasons.WaitingForAudit,
            $"spec.audit.required: version {version} (sha256 {sha256[..12]}…) has no Passed AuditRun; {what}. Not deployed yet; {keeps}", Recheck, "WaitForAudit");
    }
}
