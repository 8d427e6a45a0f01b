using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The end of every pass (a finally block): component conditions from the steps' outcomes, Ready, Synced and the
/// deployedVersion rule.
/// <list type="bullet">
/// <item>A step with a condition sets it from its outcome (Ready True; Progressing and Terminal False; NotImplemented Unknown);
/// a transient outcome leaves it as it was. Steps the pass did not reach keep their condition, or get Unknown "not reached yet".</item>
/// <item>Ready is True only when every step of the pass was Ready (condition-less steps included, except NotImplemented ones);
/// otherwise False with the first blocking outcome's reason and message. Terminal: Ready False with the Terminal* reason.
/// Transient: Synced False, and Ready only drops when it was not True (a throttled drift check must not flap Argo CD health).</item>
/// <item>deployedVersion / artifactSha256 become the spec's when the functions step reports Ready for the verified artifact of
/// this spec (every function runs that code and configuration), or, for a project without functions, when the pass is Ready.</item>
/// </list>
/// </summary>
internal static class ProjectReadiness
{
    public static void Conclude(
        Project project,
        IReadOnlyList<IProjectStep> steps,
        PassRecord pass,
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

        foreach (var run in pass.Runs)
        {
            if (run.Step.ConditionType is { } type && run.Outcome.ConditionValue is { } value)
            {
                Set(type, value, run.Outcome.Reason, run.Outcome.Message);
            }
        }

        foreach (var step in steps)
        {
            if (step.ConditionType is { } type && Conditions.Find(status.Conditions, type) is null)
            {
                var why = pass.Blocker is { } blocker ? $"waiting: {blocker.Message}" : "not reached yet";
                Set(type, ConditionStatus.Unknown, pass.Blocker?.Reason ?? ConditionReasons.Reconciling, why);
            }
        }

        switch (result.Outcome)
        {
            case ReconcileOutcome.Terminal:
                Set(ConditionTypes.Ready, ConditionStatus.False, result.Reason!, result.Message ?? result.Reason!);
                Set(ConditionTypes.Synced, ConditionStatus.False, result.Reason!, result.Message ?? result.Reason!);
                return;
            case ReconcileOutcome.Transient:
                var message = $"{result.Message ?? result.Reason}; retrying with backoff";
                Set(ConditionTypes.Synced, ConditionStatus.False, ConditionReasons.TransientError, message);
                if (!Conditions.IsTrue(status.Conditions, ConditionTypes.Ready))
                {
                    Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.TransientError, message);
                }

                return;
        }

        if (pass.Blocker is { } stop)
        {
            Set(ConditionTypes.Synced, ConditionStatus.True, ConditionReasons.Available, "the spec is applied as far as possible");
            Set(ConditionTypes.Ready, ConditionStatus.False, stop.Reason, stop.Message);
            return;
        }

        Set(ConditionTypes.Synced, ConditionStatus.True, ConditionReasons.Available, "the spec is applied");
        RecordDeployment(project, pass, recordEvent);
        var blocking = pass.Runs.FirstOrDefault(r => Blocks(r));
        if (blocking is null && pass.Runs.Count == steps.Count)
        {
            Set(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.Available,
                $"version {status.DeployedVersion ?? project.Spec.Version} runs in account {status.AccountId} ({status.Region}); every component is as specified");
            return;
        }

        var label = blocking?.Step.ConditionType ?? blocking?.Step.Name ?? "steps";
        Set(ConditionTypes.Ready, ConditionStatus.False,
            blocking?.Outcome.Reason ?? result.Reason ?? ConditionReasons.Reconciling,
            blocking is null ? "not every step ran" : $"{label}: {blocking.Outcome.Message}");
    }

    /// <summary>True when the run keeps Ready False: anything but Ready, except a NotImplemented step that owns no condition.</summary>
    internal static bool Blocks(StepRun run) =>
        !run.Outcome.IsReady && !(run.Outcome.Kind == StepOutcomeKind.NotImplemented && run.Step.ConditionType is null);

    /// <summary>The deployedVersion rule (see the type's summary).</summary>
    internal static void RecordDeployment(Project project, PassRecord pass, Action<EventType, string, string> recordEvent)
    {
        var status = project.Status!;
        var spec = project.Spec;
        var hasFunctions = spec.Functions is { Count: > 0 };
        var functions = pass.Runs.FirstOrDefault(r => r.Step.ConditionType == ConditionTypes.FunctionsReady);
        var deployed = hasFunctions
            ? functions is not null && functions.Outcome.IsReady && pass.Context?.Artifact?.Sha256 == spec.Source?.Sha256
            : pass.Runs.Count > 0 && pass.Runs.All(r => !Blocks(r));
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
