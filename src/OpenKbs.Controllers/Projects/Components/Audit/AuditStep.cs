using System.Text;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Audit;

/// <summary>
/// Audited: the Project's side of <c>spec.audit</c>, run after the artifact is verified and before the functions take it.
/// With <c>createRuns</c> (the default when <c>required</c> is true) it creates the AuditRun of the spec's version and verified
/// SHA-256 when no AuditRun of this Project audits exactly that pair (<see cref="RunName"/>, owned by the Project, create-only:
/// AlreadyExists is success and an existing AuditRun is never written). With <c>required</c> the condition says whether that
/// artifact may be deployed (<see cref="AuditGate"/>): True when a Passed AuditRun exists or the version already runs, False
/// WaitingForAudit while none has passed, TerminalAuditFailed (the pass stops: nothing later runs) when the audit blocked it.
/// The functions step asks the same gate before it deploys (<c>FunctionsStep</c>), so the running version keeps serving.
/// </summary>
internal sealed class AuditStep(AuditGate? gate = null, IResourceCreator<AuditRun>? creator = null) : IProjectStep
{
    /// <summary>The Event reason of an AuditRun the Project created.</summary>
    public const string AuditRunCreated = "AuditRunCreated";

    /// <summary>How long the digest part of <see cref="RunName"/> is (hex characters of the artifact's SHA-256).</summary>
    public const int ShortDigest = 12;

    public string Name => "audit";

    public string? ConditionType => ConditionTypes.Audited;

    /// <summary>Whether the operator creates the AuditRuns of this Project: <c>createRuns</c>, else <c>required</c>.</summary>
    public static bool CreatesRuns(ProjectAuditSpec? policy) => policy?.CreateRuns ?? policy?.Required ?? false;

    /// <summary>
    /// The AuditRun the Project creates for one version and artifact: <c>&lt;project&gt;-&lt;version&gt;-&lt;sha256[..12]&gt;</c>,
    /// the version lower-cased with every run of other characters than a-z and 0-9 made one '-' (1.0.2 gives shop-1-0-2-…),
    /// cut so the name stays within 253 characters (a DNS subdomain, as Kubernetes names are).
    /// </summary>
    public static string RunName(string project, string version, string sha256)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(sha256);
        var slug = new StringBuilder();
        foreach (var c in version.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var suffix = "-" + sha256[..ShortDigest].ToLowerInvariant();
        var head = (project + "-" + slug.ToString().Trim('-')).TrimEnd('-');
        return (head.Length > 253 - suffix.Length ? head[..(253 - suffix.Length)].TrimEnd('-', '.') : head) + suffix;
    }

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Spec.Audit;
        var creates = CreatesRuns(policy);
        if (policy?.Required != true && !creates)
        {
            return StepOutcome.Disabled("spec.audit.required is not set: a version deploys without waiting for an audit");
        }

        if (context.Spec.Source is null)
        {
            return StepOutcome.Disabled("spec.audit: the Project has no spec.source (no functions), so there is no artifact to audit");
        }

        if (context.Facts.Find<ArtifactLocation>() is not { } artifact)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the verified artifact", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var audits = gate ?? throw new InvalidOperationException("spec.audit needs the audit gate (AuditGate), which is not registered");
        var project = context.Project;
        var version = context.Spec.Version;
        var sha256 = artifact.Sha256;
        var created = false;
        if (creates && audits.RunsFor(project, sha256).Count == 0)
        {
            var name = RunName(project.Metadata.Name, version, sha256);
            created = await (creator ?? throw new InvalidOperationException("spec.audit.createRuns needs an AuditRun creator, which is not registered"))
                .CreateIfAbsentAsync(NewRun(project, name), cancellationToken);
            if (created)
            {
                context.Event(EventType.Normal, AuditRunCreated, $"created AuditRun {name} to audit version {version} (artifact sha256 {sha256[..ShortDigest]}…)");
            }
            else if (audits.Get(project, name) is { } other && !Audits(other, project, version, sha256))
            {
                // The deterministic name is taken by an AuditRun of another version or artifact (versions that differ only in
                // case or punctuation, with the same digest prefix): it is never overwritten.
                return StepOutcome.Progressing(ConditionReasons.WaitingForAudit,
                    $"spec.audit.createRuns: AuditRun '{name}' exists already and audits another version or artifact ({other.Spec.Version ?? "the Project's"}, "
                    + $"sha256 {other.Spec.Source?.Sha256 ?? "the Project's"}); it is left as it is. Create an AuditRun of version {version} (sha256 {sha256}) under another name",
                    AuditGate.Recheck, "WaitForAudit");
            }
            else
            {
                created = true; // created by an earlier pass (or another writer); the cache has not seen it yet
            }
        }

        if (policy?.Required != true)
        {
            return StepOutcome.Ready(
                $"spec.audit.createRuns: version {version} (sha256 {sha256[..ShortDigest]}…) is audited by AuditRun {string.Join(", ", Names(audits.RunsFor(project, sha256), project, version, sha256))}; "
                + "spec.audit.required is false, so deployment does not wait for it", ConditionReasons.Disabled);
        }

        if (audits.Check(project, sha256) is not { } held)
        {
            var passed = audits.RunsFor(project, sha256).FirstOrDefault(r => r.Status?.Phase == AuditPhase.Passed);
            return passed is null
                ? StepOutcome.Ready($"version {version} (sha256 {sha256[..ShortDigest]}…) runs already; it was deployed before the audit policy or under it")
                : StepOutcome.Ready($"AuditRun {passed.Metadata.Name} passed for version {version} (sha256 {sha256[..ShortDigest]}…): it may be deployed", ConditionReasons.AuditPassed);
        }

        if (created && held.Kind == StepOutcomeKind.Progressing)
        {
            var keeps = context.Status.DeployedVersion is { } running ? $"version {running} keeps serving" : "nothing is deployed";
            return StepOutcome.Progressing(ConditionReasons.WaitingForAudit,
                $"spec.audit.required: version {version} (sha256 {sha256[..ShortDigest]}…) has no Passed AuditRun; created AuditRun "
                + $"{RunName(project.Metadata.Name, version, sha256)} and waiting for it. Not deployed yet; {keeps}", AuditGate.Recheck, "WaitForAudit");
        }

        return held;
    }

    /// <summary>An AuditRun is the Project's record: deleting the Project removes it (its reports stay in the project bucket).</summary>
    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("AuditRuns go with the Project (owner reference); their reports stay in the project bucket"));

    /// <summary>The AuditRun of the spec's version, pinned to the spec's artifact (source and SHA-256), owned by the Project.</summary>
    internal static AuditRun NewRun(Project project, string name)
    {
        ArgumentNullException.ThrowIfNull(project);
        var source = project.Spec.Source ?? throw new InvalidOperationException("a verified artifact without spec.source");
        return new AuditRun
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = project.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue },
                OwnerReferences = [ProjectOwnerReference.For(project)],
            },
            Spec = new AuditRunSpec
            {
                ProjectRef = new LocalObjectReference { Name = project.Metadata.Name },
                Version = project.Spec.Version,
                Source = source,
                Suppressions = project.Spec.Audit?.Suppressions is { Count: > 0 } accepted ? [.. accepted] : null,
            },
        };
    }

    private static bool Audits(AuditRun run, Project project, string version, string sha256) =>
        string.Equals(run.Spec.ProjectRef.Name, project.Metadata.Name, StringComparison.Ordinal)
        && string.Equals(run.Spec.Version ?? version, version, StringComparison.Ordinal)
        && string.Equals(run.Spec.Source?.Sha256 ?? sha256, sha256, StringComparison.Ordinal);

    private static IEnumerable<string> Names(IReadOnlyList<AuditRun> runs, Project project, string version, string sha256) =>
        runs.Count > 0 ? runs.Select(r => r.Metadata.Name) : [RunName(project.Metadata.Name, version, sha256)];
}
