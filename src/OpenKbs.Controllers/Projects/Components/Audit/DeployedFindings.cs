using System.Collections.Concurrent;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Audit;

/// <summary>
/// A critical finding in the deployed version (NIS2 Art. 23, <see cref="IncidentCauses.CriticalFinding"/>): at the end of every
/// Project pass (the deployed digest is then known, <c>status.artifactSha256</c>), the newest completed AuditRun of this Project
/// that audited exactly that digest is read from the cache; when it counts unsuppressed critical findings, one incident per
/// Project is opened (subject <c>Project/&lt;name&gt;</c>; the occurrence is the AuditRun and digest, so an incident a person
/// closed is not opened again for the same run). This covers a Project deployed without <c>spec.audit.required</c> whose
/// AuditRun then reports a critical, and a re-audit of the running digest with newer data. An AuditRun's status change wakes
/// the Project (<see cref="ProjectRegistration"/> watches AuditRuns). A newer completed run of the digest without criticals
/// (a suppression accepted, a fix in the scanner), or a fixed version deployed whose completed run counts none, opens nothing and records
/// the open incident's cause cleared; closing stays a person's decision (<c>openkbs incident close</c>).
/// </summary>
internal sealed class DeployedFindings(AuditGate gate, IncidentSignals? incidents = null)
{
    /// <summary>The occurrence last raised per Project in this process: one store round trip per new occurrence, not per pass.</summary>
    private readonly ConcurrentDictionary<ObjectKey, string> _raised = new();

    /// <summary>The AuditRun whose critical findings concern the deployed digest of <paramref name="project"/>, or null.</summary>
    public AuditRun? Critical(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.Status?.ArtifactSha256 is not { } deployed)
        {
            return null;
        }

        var runs = gate.CompletedRunsOf(project, deployed);
        return runs.Count > 0 && runs[^1] is { Status.Findings.Critical: > 0 } run ? run : null;
    }

    /// <summary>The clean run last recorded as clearing the cause per Project in this process: one store round trip per clean run, not per pass.</summary>
    private readonly ConcurrentDictionary<ObjectKey, string> _cleared = new();

    /// <summary>
    /// Raises the incident when <see cref="Critical"/> finds a run (once per occurrence in this process); when the newest completed run
    /// of the deployed digest counts no critical finding (a fixed version deployed and audited, or a re-audit), records the cause of an
    /// open incident of this Project cleared (once per clean run in this process; the incident stays open for a person to close).
    /// </summary>
    public async Task CheckAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (incidents is null)
        {
            return;
        }

        if (Critical(context.Project) is not { } run)
        {
            await ClearedAsync(context, cancellationToken);
            return;
        }

        var sha256 = context.Status.ArtifactSha256!;
        var occurrence = $"AuditRun/{run.Metadata.Name}/sha256/{sha256}";
        if (_raised.TryGetValue(context.Key, out var known) && string.Equals(known, occurrence, StringComparison.Ordinal))
        {
            return;
        }

        var findings = run.Status!.Findings!;
        var incident = await incidents.RaiseAsync(
            new IncidentReport
            {
                Namespace = context.Key.Namespace,
                Cause = IncidentCauses.CriticalFinding,
                Subject = $"Project/{context.Key.Name}",
                Resource = context.Status.DeployedVersion is { } version ? $"Project/{context.Key.Name}@{version}" : null,
                Summary = $"the deployed version {context.Status.DeployedVersion} of Project {context.Key.Name} (artifact sha256 {sha256[..AuditStep.ShortDigest]}…) "
                    + $"has {findings.Critical} unsuppressed critical finding(s) according to AuditRun {run.Metadata.Name} (report in its status.reportRef)",
                Details = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["auditRun"] = run.Metadata.Name,
                    ["sha256"] = sha256,
                    ["critical"] = findings.Critical.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["accountId"] = context.AccountId,
                },
                DetectedAt = context.Now,
                Actor = context.Actor,
                Occurrence = occurrence,
            },
            context.Event,
            context.Account,
            context.Now,
            cancellationToken);
        if (incident is not null || !incidents.Records)
        {
            // Recorded (or no store: warned once); an unreachable store is tried again on the next pass.
            _raised[context.Key] = occurrence;
            _cleared.TryRemove(context.Key, out _);
        }
    }

    /// <summary>The deployed digest's newest completed run counts no critical finding: the cause of an open incident of this Project cleared.</summary>
    private async Task ClearedAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        if (context.Status.ArtifactSha256 is not { } deployed
            || gate.CompletedRunsOf(context.Project, deployed) is not [.., { Status.Findings.Critical: 0 } clean])
        {
            return; // nothing deployed, or not audited yet: nothing known to be clear
        }

        var occurrence = $"AuditRun/{clean.Metadata.Name}/sha256/{deployed}";
        if (_cleared.TryGetValue(context.Key, out var known) && string.Equals(known, occurrence, StringComparison.Ordinal))
        {
            return;
        }

        var recorded = await incidents!.ClearedAsync(
            new IncidentClearance
            {
                Namespace = context.Key.Namespace,
                Cause = IncidentCauses.CriticalFinding,
                Subject = $"Project/{context.Key.Name}",
                How = $"the deployed version {context.Status.DeployedVersion} (artifact sha256 {deployed[..AuditStep.ShortDigest]}…) has no unsuppressed critical finding "
                    + $"according to AuditRun {clean.Metadata.Name}",
                Actor = context.Actor,
            },
            context.Event,
            context.Account,
            context.Now,
            cancellationToken);
        if (recorded)
        {
            _cleared[context.Key] = occurrence;
            _raised.TryRemove(context.Key, out _);
        }
    }
}
