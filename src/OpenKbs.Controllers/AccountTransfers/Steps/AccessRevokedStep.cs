using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// The client removes OpenKBS's access by deleting the access role. On a slow timer (<see cref="AccountTransferOptions.AccessCheckInterval"/>)
/// and for a bounded period (<see cref="AccountTransferOptions.AccessCheckPeriod"/>) one fresh 900 s AssumeRole into the role,
/// never cached, tells whether it is gone: until STS refuses it the step waits for the client with the command that deletes it.
/// Refused: completed, and no AWS call is ever made to the account again (the probe drops the cached session too).
/// </summary>
internal sealed class AccessRevokedStep(AccountTransferOptions options) : IRecipeStep<TransferPass>
{
    public string Name => "access";

    public string? ConditionType => ConditionTypes.AccessRevoked;

    public async Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.AccessRevokedAt is not null)
        {
            return StepOutcome.Ready($"OpenKBS has no access to account {status.AccountId} any more");
        }

        var role = status.AccessRoleName ?? ClientAccountSpec.DefaultAccessRoleName;
        status.AccessCheckStartedAt ??= pass.Now.UtcDateTime;
        string arn;
        try
        {
            arn = await pass.Aws.ProbeAssumeRoleAsync(pass.AccountId, role, pass.Actor, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.AccessDenied or AwsErrorCode.AccessDeniedException)
        {
            status.AccessRevokedAt = pass.Now.UtcDateTime;
            var message = $"a 900 s AssumeRole into arn:aws:iam::{status.AccountId}:role/{role} was refused at {pass.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: "
                + "OpenKBS has no access to the account any more and makes no AWS call to it";
            pass.Step(TransferStepName.AccessRevoked, TransferStepState.Succeeded, message);
            pass.Event(EventType.Normal, "AccessRevoked", message);
            await pass.SaveStatusAsync(cancellationToken);
            return StepOutcome.Ready(message);
        }

        var started = new DateTimeOffset(DateTime.SpecifyKind(status.AccessCheckStartedAt.Value, DateTimeKind.Utc));
        var delete = ClientActions.DeleteRole(pass.AccountId, role);
        if (pass.Now - started >= options.AccessCheckPeriod)
        {
            var message = $"{arn} can still be assumed {options.AccessCheckPeriod.TotalDays:0} days after the removal; the check stopped. {delete}; "
                + $"then set the annotation to check again: kubectl -n {pass.Namespace} annotate accounttransfer {pass.Name} --overwrite openkbs.com/reconcile-requested-at=$(date +%s)";
            pass.Step(TransferStepName.AccessRevoked, TransferStepState.Failed, message);
            status.AccessCheckStartedAt = null;
            return StepOutcome.Terminal(ConditionReasons.TerminalAccessDenied, message);
        }

        var wait = $"{delete}. OpenKBS checks every {options.AccessCheckInterval.TotalMinutes:0} min with one 900 s AssumeRole (it still worked at {pass.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)";
        pass.Step(TransferStepName.AccessRevoked, TransferStepState.Waiting, wait);
        return StepOutcome.Progressing(ConditionReasons.WaitingForClient, wait, options.AccessCheckInterval, "WaitForAccessRevocation") with { StopsPass = true };
    }
}
