using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// The release: once the access is revoked the ClientAccount and Project controllers release their objects themselves
/// (<see cref="TransferGate"/>: finalizer removed without AWS, state Transferred / transferredAt, never reconciled again).
/// This step waits until the cache shows it for each of them (or the object is gone), then completes the transfer. No AWS call.
/// </summary>
internal sealed class ReleaseStep(AccountTransferOptions options) : IRecipeStep<TransferPass>
{
    public string Name => "release";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.CompletedAt is not null)
        {
            return StepOutcome.Ready("the account is the client's");
        }

        var waiting = new List<string>();
        if (pass.ClientAccount is { } account && account.Status?.State != AccountState.Transferred)
        {
            waiting.Add($"ClientAccount {account.Metadata.Name}");
        }

        waiting.AddRange(pass.Projects.Where(p => p.Status?.TransferredAt is null).Select(p => $"Project {p.Metadata.Name}"));
        if (waiting.Count > 0)
        {
            pass.Step(TransferStepName.Release, TransferStepState.InProgress, $"releasing {string.Join(", ", waiting)} (finalizers removed without touching AWS)");
            return StepOutcome.Progressing(ConditionReasons.Reconciling, "releasing", options.WaitForHolds, "WaitForRelease") with { StopsPass = true };
        }

        status.CompletedAt = pass.Now.UtcDateTime;
        var message = $"ClientAccount {pass.Spec.ClientAccountRef.Name} and {pass.Projects.Count} project(s) released: shown as transferred, never reconciled again, "
            + $"deleting them makes no AWS call. Account {status.AccountId} belongs to the client.";
        pass.Step(TransferStepName.Release, TransferStepState.Succeeded, message);
        pass.Event(EventType.Normal, ConditionReasons.Transferred, message);
        await HandOverStore.WriteAsync(pass, new Dictionary<string, string> { ["completed"] = message }, cancellationToken);
        return StepOutcome.Ready(message, ConditionReasons.Transferred);
    }
}
