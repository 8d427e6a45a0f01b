using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers.Steps;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// The AccountTransfer recipe on the shared engine: deletion (cancellation before the removal; after it the transfer goes on
/// and the object goes once it completed) or the finalizer; then the steps preflight, root-email, confirmations, removal,
/// report, access and release (<see cref="IRecipeStep{TContext}"/>), each idempotent and one at a time (a step that waits stops
/// the pass). The end of every pass (finally) derives the phase from the ledger and concludes the conditions.
/// </summary>
internal sealed class TransferRecipe(
    PreflightStep preflight,
    RootEmailStep rootEmail,
    ConfirmationsStep confirmations,
    RemovalStep removal,
    ReportStep report,
    AccessRevokedStep access,
    ReleaseStep release,
    ILogger<TransferRecipe> logger)
{
    /// <summary>Synced's reason when the spec changed after the removal (nothing in it applies any more).</summary>
    public const string SpecIgnoredAfterRemoval = "SpecIgnoredAfterRemoval";

    /// <summary>The steps in recipe order.</summary>
    public IReadOnlyList<IRecipeStep<TransferPass>> Steps { get; } = [preflight, rootEmail, confirmations, removal, report, access, release];

    public async Task<ReconcileResult> RunAsync(TransferPass pass, IFinalizerHandle finalizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(finalizer);
        var record = new PassRecord<TransferPass>();
        var result = ReconcileResult.Transient(ConditionReasons.TransientError, "the pass did not finish");
        try
        {
            result = await Recipe.GuardAsync(() => StepsAsync(pass, record, finalizer, cancellationToken), logger, $"AccountTransfer {pass.Key}", cancellationToken);
        }
        finally
        {
            if (!finalizer.ObjectRemoved)
            {
                Conclude(pass, record, result, finalizer.IsDeleting);
            }
        }

        return result;
    }

    private async Task<ReconcileResult> StepsAsync(TransferPass pass, PassRecord<TransferPass> record, IFinalizerHandle finalizer, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (finalizer.IsDeleting)
        {
            if (!finalizer.IsPresent)
            {
                return ReconcileResult.Done();
            }

            if (status.RemovedAt is null && status.RemovalRequestedAt is not null && !await Removal.StillMemberAsync(pass, cancellationToken))
            {
                await Removal.RecordAsync(pass, cancellationToken);
            }

            if (status.RemovedAt is null)
            {
                var email = TransferPlan.IsDone(status, TransferStepName.VerifyEmail)
                    ? $" The root email stays {status.CodeSentTo} (changed before the cancellation)."
                    : string.Empty;
                pass.Event(EventType.Normal, "Cancelled",
                    $"the transfer was cancelled before the removal: the account stays in the organization, the ClientAccount and its projects are no longer held.{email}");
                await finalizer.RemoveAsync(cancellationToken);
                return ReconcileResult.Done();
            }
        }
        else
        {
            await finalizer.AddAsync(cancellationToken);
        }

        await Recipe.RunStepsAsync(Steps, pass, record, logger, $"AccountTransfer {pass.Key}", cancellationToken);
        if (finalizer.IsDeleting && status.CompletedAt is not null)
        {
            await finalizer.RemoveAsync(cancellationToken);
        }

        return Recipe.Combine(record.Runs);
    }

    private void Conclude(TransferPass pass, PassRecord<TransferPass> record, ReconcileResult result, bool deleting)
    {
        var status = pass.Status;
        status.Phase = TransferPlan.PhaseOf(status);
        PassConditions.ApplySteps(Steps, record, result, pass.SetCondition);
        var open = status.Steps!.FirstOrDefault(s => s.State != TransferStepState.Succeeded);
        (string, string)? blocking = open is null ? null : (
            open.State switch
            {
                TransferStepState.Waiting when open.Name == TransferStepName.Approval => ConditionReasons.WaitingForApproval,
                TransferStepState.Waiting => ConditionReasons.WaitingForClient,
                TransferStepState.Failed => result.Reason ?? ConditionReasons.TerminalInvalidSpec,
                _ => ConditionReasons.Reconciling,
            },
            $"{open.Name}: {open.Message ?? open.State.ToString()}");
        if (deleting && status.RemovedAt is not null && status.CompletedAt is null)
        {
            blocking = (ConditionReasons.Deleting,
                $"deletion requested after the account left the organization: a transfer cannot be cancelled after its removal; the AccountTransfer goes once it completes. {blocking?.Item2}");
        }

        PassConditions.ConcludeReady(result, blocking,
            $"account {status.AccountId} is the client's: it left the organization, OpenKBS's access is revoked, the ClientAccount and its projects are released",
            pass.Condition(ConditionTypes.Ready).IsTrue, pass.SetCondition);
        if (status.RemovedAtGeneration is { } frozen && pass.Generation > frozen)
        {
            pass.SetCondition(ConditionTypes.Synced, ConditionStatus.False, SpecIgnoredAfterRemoval,
                $"the spec changed (generation {pass.Generation}) after the account left the organization (generation {frozen}): the removal cannot be undone and nothing in the spec applies any more");
        }
    }
}
