using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// The removal's record, shared by the removal step and the recipe's deletion path (a removal whose answer was lost is
/// recorded before a cancellation is considered): is the account still a member, and the record of its leaving.
/// </summary>
internal static class Removal
{
    /// <summary>After the removal marker: is the account still a member (then the removal did not happen)?</summary>
    public static async Task<bool> StillMemberAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        try
        {
            await pass.Management.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = pass.AccountId }, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Records the removal (time, generation) and says so.</summary>
    public static async Task<StepOutcome> RecordAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        pass.Status.RemovedAt = pass.Now.UtcDateTime;
        pass.Status.RemovedAtGeneration = pass.Generation;
        var message = $"account {pass.AccountId} left the organization at {pass.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; the region guardrail policy and the organization's tags went with it. "
            + "From now on the transfer cannot be cancelled";
        pass.Step(TransferStepName.RemoveFromOrganization, TransferStepState.Succeeded, message);
        pass.Event(EventType.Normal, "RemovedFromOrganization", message);
        await pass.SaveStatusAsync(cancellationToken);
        return StepOutcome.Ready(message, ConditionReasons.Transferred);
    }
}
