using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The end of every Project pass: component conditions, Synced and Ready through <see cref="PassConditions"/>, and the
/// deployedVersion rule: deployedVersion / artifactSha256 become the spec's when the functions step reports Ready for the
/// verified artifact of this spec, or, for a project without functions, when every step of the pass is Ready.
/// </summary>
internal static class ProjectReadiness
{
    public static void Conclude(
        Project project,
        IReadOnlyList<IProjectStep> steps,
        PassRecord<ProjectContext> pass,
        ProjectContext? context,
        ReconcileResult result,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(result);
        var status = project.Status ??= new ProjectStatus();
        var generation = project.Metadata.Generation ?? 0;
        var now = clock.GetUtcNow();
        bool Set(string type, string value, string reason, string message) =>
            Conditions.Set(status.Conditions, type, value, reason, message, generation, now);

        PassConditions.ApplySteps(steps, pass, result, Set);
        if (result.Outcome is not (ReconcileOutcome.Terminal or ReconcileOutcome.Transient) && pass.Blocker is null)
        {
            RecordDeployment(project, pass, context, recordEvent);
        }

        var blocking = pass.Blocker is var (_, stop)
            ? (stop.Reason, stop.Message)
            : pass.Runs.FirstOrDefault(r => !r.Outcome.IsReady) is { } run
                ? (run.Outcome.Reason, $"{run.Step.ConditionType ?? run.Step.Name}: {run.Outcome.Message}")
                : pass.Runs.Count == steps.Count ? ((string, string)?)null : (result.Reason ?? ConditionReasons.Reconciling, "not every step ran");
        PassConditions.ConcludeReady(result, blocking,
            $"version {status.DeployedVersion ?? project.Spec.Version} runs in account {status.AccountId} ({status.Region}); every component is as specified",
            Conditions.IsTrue(status.Conditions, ConditionTypes.Ready), Set);
    }

    /// <summary>The deployedVersion rule (see the type's summary).</summary>
    internal static void RecordDeployment(Project project, PassRecord<ProjectContext> pass, ProjectContext? context, Action<EventType, string, string> recordEvent)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(recordEvent);
        var status = project.Status!;
        var spec = project.Spec;
        var hasFunctions = spec.Functions is { Count: > 0 };
        var functions = pass.Runs.FirstOrDefault(r => r.Step.ConditionType == ConditionTypes.FunctionsReady);
        var deployed = hasFunctions
            ? functions is not null && functions.Outcome.IsReady && context?.Facts.Find<ArtifactLocation>()?.Sha256 == spec.Source?.Sha256
            : pass.Runs.Count > 0 && pass.Runs.All(r => r.Outcome.IsReady);
        if (!deployed)
        {
            return;
        }

        var changed = !string.Equals(status.DeployedVersion, spec.Version, StringComparison.Ordinal)
            || !string.Equals(status.ArtifactSha256, spec.Source?.Sha256, StringComparison.Ordinal);
        status.DeployedVersion = spec.Version;
        status.ArtifactSha256 = spec.Source?.Sha256;
        if (changed)
        {
            recordEvent(EventType.Normal, ProjectReasons.Deployed,
                spec.Source is null ? $"version {spec.Version} deployed" : $"version {spec.Version} (artifact sha256 {spec.Source.Sha256[..12]}…) deployed");
        }
    }
}
