using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// Approval, then RemoveAccountFromOrganization. A marker (removalRequestedAt) is written before the call; the removal time
/// and the spec's generation right after. AWS's refusals (ConstraintViolationException with the reason of what the account still
/// misses) are a wait for the client on a slow timer, with the console action; AccountNotFound after the marker means the
/// account already left (the answer was lost); after a restart with the marker set, DescribeAccount is asked first, so the call is
/// never sent twice. The region guardrail SCP and the organization's tags go with the account, as
/// AWS does. Withdrawing the approval before the removal stops here; after it nothing changes.
/// </summary>
internal sealed class RemovalStep(AccountTransferOptions options) : IRecipeStep<TransferPass>
{
    public string Name => "removal";

    public string? ConditionType => ConditionTypes.RemovedFromOrganization;

    public async Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.RemovedAt is not null)
        {
            return StepOutcome.Ready($"account {status.AccountId} left the organization at {status.RemovedAt:O}");
        }

        if (pass.Spec.Confirmations?.RemovalApproved != true)
        {
            var ask = ClientActions.Approve(pass.Namespace, pass.Name, pass.AccountId);
            var withdrawn = TransferPlan.IsDone(status, TransferStepName.Approval);
            pass.Step(TransferStepName.Approval, TransferStepState.Waiting, withdrawn ? $"the approval was withdrawn before the removal; nothing was removed. {ask}" : ask);
            if (TransferPlan.Get(status, TransferStepName.RemoveFromOrganization).State != TransferStepState.Pending)
            {
                pass.Step(TransferStepName.RemoveFromOrganization, TransferStepState.Pending, "waiting for the approval");
            }

            return StepOutcome.Progressing(ConditionReasons.WaitingForApproval, ask, options.WaitForClient, "WaitForApproval") with { StopsPass = true };
        }

        pass.Step(TransferStepName.Approval, TransferStepState.Succeeded, "the removal from the organization is approved");
        if (status.RemovalRequestedAt is not null && !await Removal.StillMemberAsync(pass, cancellationToken))
        {
            // An earlier call went through but its answer was lost (the process died): never send it twice.
            return await Removal.RecordAsync(pass, cancellationToken);
        }

        pass.Step(TransferStepName.RemoveFromOrganization, TransferStepState.InProgress, $"removing account {pass.AccountId} from the organization");
        status.RemovalRequestedAt ??= pass.Now.UtcDateTime;
        await pass.SaveStatusAsync(cancellationToken);
        try
        {
            await pass.Management.Organizations.RemoveAccountFromOrganizationAsync(new RemoveAccountFromOrganizationRequest { AccountId = pass.AccountId }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.ConstraintViolationException)
        {
            var message = $"{ClientActions.ForLeaveRefusal(ex.Reason)} AWS refused the removal ({ex.Reason}); trying again every {options.WaitBeforeLeaveRetry.TotalMinutes:0} min.";
            pass.Step(TransferStepName.RemoveFromOrganization, TransferStepState.Waiting, message);
            return StepOutcome.Progressing(ConditionReasons.WaitingForClient, message, options.WaitBeforeLeaveRetry, "WaitBeforeLeaveRetry") with { StopsPass = true };
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountNotFoundException)
        {
            // Preflight saw the account in the organization and the marker is written: it has left (an earlier answer was lost).
        }

        return await Removal.RecordAsync(pass, cancellationToken);
    }
}
