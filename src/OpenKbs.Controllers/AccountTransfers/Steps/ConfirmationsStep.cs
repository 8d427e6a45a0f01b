using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// The client's confirmations in the spec: the root password is set (passwordSet) and the account can stand alone
/// (standaloneReady: payment method, contact, phone, agreement, support plan). Until then the step says exactly what to do.
/// AWS itself checks standalone readiness at the removal; its refusals show on the removal step.
/// </summary>
internal sealed class ConfirmationsStep(AccountTransferOptions options) : IRecipeStep<TransferPass>
{
    public string Name => "confirmations";

    public string? ConditionType => ConditionTypes.StandaloneReady;

    public Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var confirmations = pass.Spec.Confirmations;
        if (pass.Status.RemovedAt is not null)
        {
            return Task.FromResult(StepOutcome.Ready("the account stands alone"));
        }

        string? missing = confirmations?.PasswordSet != true
            ? ClientActions.SetPassword(pass.Namespace, pass.Name, pass.Spec.NewRootEmail)
            : confirmations.StandaloneReady != true ? ClientActions.MakeStandalone(pass.Namespace, pass.Name) : null;
        if (missing is not null)
        {
            pass.Step(TransferStepName.StandaloneReadiness, TransferStepState.Waiting, missing);
            return Task.FromResult(StepOutcome.Progressing(ConditionReasons.WaitingForClient, missing, options.WaitForClient, "WaitForClient") with { StopsPass = true });
        }

        pass.Step(TransferStepName.StandaloneReadiness, TransferStepState.Succeeded, "the client confirmed the new root password and that the account can stand alone");
        return Task.FromResult(StepOutcome.Ready("the client confirmed the account can stand alone"));
    }
}
