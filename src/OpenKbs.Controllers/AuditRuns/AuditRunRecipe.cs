using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AuditRuns.Steps;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>
/// The AuditRun recipe on the shared engine: project (resolve the Project, the artifact, the account and its bucket), artifact
/// (fetch and verify the SHA-256) and scan (audit, reports, summary ConfigMap, status). An AuditRun runs once: when its status
/// says it completed (Passed, Failed or Error with completedAt), a pass does nothing, so it never scans twice. The end of every
/// other pass (finally) sets the phase and concludes the conditions. No finalizer: an AuditRun creates nothing in AWS that
/// deleting it should remove (the reports stay with the project; the ConfigMap is owned and goes with it).
/// </summary>
internal sealed class AuditRunRecipe(TargetStep target, ArtifactStep artifact, ScanStep scan, ILogger<AuditRunRecipe> logger)
{
    public IReadOnlyList<IRecipeStep<AuditPass>> Steps { get; } = [target, artifact, scan];

    /// <summary>True when the run has an outcome that no later pass changes (the spec is immutable).</summary>
    public static bool Finished(AuditRunStatus? status) => status is { CompletedAt: not null, Phase: AuditPhase.Passed or AuditPhase.Failed or AuditPhase.Error };

    public async Task<ReconcileResult> RunAsync(AuditPass pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (Finished(pass.Status))
        {
            return ReconcileResult.Done();
        }

        var record = new PassRecord<AuditPass>();
        var result = ReconcileResult.Transient(ConditionReasons.TransientError, "the pass did not finish");
        var key = $"AuditRun {pass.Key}";
        try
        {
            result = await Recipe.GuardAsync(
                async () =>
                {
                    await Recipe.RunStepsAsync(Steps, pass, record, logger, key, cancellationToken);
                    return Recipe.Combine(record.Runs);
                },
                logger,
                key,
                cancellationToken);
        }
        finally
        {
            Conclude(pass, record, result);
        }

        return result;
    }

    private void Conclude(AuditPass pass, PassRecord<AuditPass> record, ReconcileResult result)
    {
        var status = pass.Status;
        if (result.Outcome == ReconcileOutcome.Terminal)
        {
            if (!string.Equals(result.Reason, ConditionReasons.TerminalFindingsAboveThreshold, StringComparison.Ordinal))
            {
                status.Phase = AuditPhase.Error;
            }

            status.CompletedAt ??= pass.Now.UtcDateTime;
        }
        else if (status.Phase is not (AuditPhase.Passed or AuditPhase.Failed))
        {
            status.Phase = record.Runs.Any(r => r.Step.Name == "artifact") ? AuditPhase.Running : AuditPhase.Pending;
        }

        PassConditions.ApplySteps(Steps, record, result, pass.SetCondition);
        var blocking = record.Runs.FirstOrDefault(r => !r.Outcome.IsReady) is { } open ? (open.Outcome.Reason, open.Outcome.Message) : ((string, string)?)null;
        var last = record.Runs.LastOrDefault();
        var message = last is { Outcome.IsReady: true } && last.Step == Steps[^1] ? last.Outcome.Message : "audited";
        PassConditions.ConcludeReady(result, blocking, message, pass.Condition(ConditionTypes.Ready).IsTrue, pass.SetCondition);
        if (status.Phase == AuditPhase.Passed)
        {
            pass.SetCondition(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.AuditPassed, message);
        }
    }
}
