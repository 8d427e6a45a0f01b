using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers.Inventory;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// Preflight: the ClientAccount exists in this namespace, is Ready and not already transferred; no other transfer is open for
/// it; the new root email is not the current one. Then the hold: the account id, role, region and the Projects are recorded in
/// status (a checkpoint, so the ClientAccount and Project controllers see it), and the step waits until each of them
/// acknowledges it (their Synced condition shows <see cref="ConditionReasons.OnTransferHold"/>: their passes from then on make
/// no AWS call). Last, the inventory is taken and kept in the transfer's ConfigMap.
/// </summary>
internal sealed class PreflightStep(AccountTransferOptions options) : IRecipeStep<TransferPass>
{
    public string Name => "preflight";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        if (TransferPlan.IsDone(pass.Status, TransferStepName.Preflight))
        {
            return StepOutcome.Ready("preflight done");
        }

        if (pass.Status.AccountId is null)
        {
            if (Validate(pass) is { } refused)
            {
                return refused;
            }

            var account = pass.ClientAccount!;
            pass.Status.AccountId = account.Status!.AccountId;
            pass.Status.AccessRoleName = account.Spec.AccessRoleName;
            pass.Status.Region = account.Spec.Region;
            pass.Status.HeldProjects = [.. pass.Projects.Select(p => p.Metadata.Name)];
            pass.Step(TransferStepName.Preflight, TransferStepState.InProgress,
                $"holding ClientAccount {account.Metadata.Name} (account {pass.Status.AccountId}) and {pass.Status.HeldProjects.Count} project(s): no deployments, no AWS writes, deletion releases without touching AWS");
            await pass.SaveStatusAsync(cancellationToken);
        }

        var waiting = Unacknowledged(pass);
        if (waiting.Count > 0)
        {
            pass.Step(TransferStepName.Preflight, TransferStepState.InProgress,
                $"waiting for {string.Join(", ", waiting)} to acknowledge the hold (each finishes the pass it is in first)");
            return StepOutcome.Progressing(ConditionReasons.Reconciling, "waiting for the hold", options.WaitForHolds, "WaitForHolds") with { StopsPass = true };
        }

        var before = await HandOverStore.ReadAsync(pass, HandOverStore.BeforeKey, cancellationToken);
        if (before is null)
        {
            before = await InventoryCollector.CollectAsync(pass.Member(), pass.HeldBuckets, pass.Now, cancellationToken);
            await HandOverStore.WriteAsync(pass, new Dictionary<string, string> { [HandOverStore.BeforeKey] = HandOverStore.Serialize(before) }, cancellationToken);
        }

        pass.Step(TransferStepName.Preflight, TransferStepState.Succeeded,
            $"ClientAccount and {pass.Status.HeldProjects?.Count ?? 0} project(s) on hold (deletion policy Retain); inventory kept in ConfigMap {HandOverStore.NameOf(pass.Name)}: {before.Summary()}");
        return StepOutcome.Ready("preflight done");
    }

    private StepOutcome? Validate(TransferPass pass)
    {
        var name = pass.Spec.ClientAccountRef.Name;
        var account = pass.ClientAccount;
        if (account is null)
        {
            var elsewhere = pass.Caches.Accounts.List().FirstOrDefault(a => a.Metadata.Name == name);
            if (elsewhere is not null)
            {
                return Refuse(pass, ConditionReasons.TerminalInvalidSpec,
                    $"ClientAccount '{name}' exists in namespace '{elsewhere.Metadata.NamespaceProperty}', not in '{pass.Namespace}': an AccountTransfer can only transfer a ClientAccount of its own namespace. "
                    + $"Create the AccountTransfer in namespace '{elsewhere.Metadata.NamespaceProperty}'");
            }

            return Wait(pass, $"ClientAccount '{name}' does not exist in namespace '{pass.Namespace}' (an AccountTransfer can only transfer a ClientAccount of its own namespace); waiting for it");
        }

        if (account.Status?.State == AccountState.Transferred)
        {
            return Refuse(pass, ConditionReasons.TerminalInvalidSpec,
                $"ClientAccount '{name}' was already handed to the client by AccountTransfer '{account.Status.TransferredBy}' at {account.Status.TransferredAt:O}; there is nothing left to transfer");
        }

        if (Rival(pass) is { } rival)
        {
            return Refuse(pass, ConditionReasons.TerminalOwnershipConflict,
                $"AccountTransfer '{rival.Metadata.Name}' already transfers ClientAccount '{name}' (phase {rival.Status?.Phase ?? TransferPhase.Pending}); "
                + "only one transfer per account can be open. Delete this AccountTransfer, or delete the other one before its removal step to cancel it");
        }

        if (account.Status?.AccountId is null || !Conditions.IsTrue(account.Status.Conditions, ConditionTypes.Ready))
        {
            var ready = Conditions.Find(account.Status?.Conditions, ConditionTypes.Ready);
            return Wait(pass, $"ClientAccount '{name}' is not Ready ({(ready is null ? "no Ready condition yet" : $"{ready.Reason}: {ready.Message}")}); the transfer starts once it is");
        }

        if (string.Equals(account.Spec.Email, pass.Spec.NewRootEmail, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(pass, ConditionReasons.TerminalInvalidSpec,
                $"spec.newRootEmail {pass.Spec.NewRootEmail} is the account's current root email; set an address the client owns");
        }

        return null;
    }

    /// <summary>The other transfer of the same account that goes first: one holding it already, else the older one.</summary>
    private static AccountTransfer? Rival(TransferPass pass) => pass.Caches.Transfers.List(pass.Namespace)
        .Where(t => t.Metadata.Uid != pass.Resource.Metadata.Uid && t.Spec.ClientAccountRef.Name == pass.Spec.ClientAccountRef.Name)
        .Where(t => t.Status?.AccountId is not null || Older(t, pass.Resource))
        .OrderBy(t => t.Status?.AccountId is null)
        .FirstOrDefault();

    private static bool Older(AccountTransfer a, AccountTransfer b) =>
        (a.Metadata.CreationTimestamp, b.Metadata.CreationTimestamp) switch
        {
            ({ } x, { } y) when x != y => x < y,
            _ => string.CompareOrdinal(a.Metadata.Uid, b.Metadata.Uid) < 0,
        };

    private static List<string> Unacknowledged(TransferPass pass)
    {
        var waiting = new List<string>();
        if (pass.ClientAccount is { } account && !TransferGate.Acknowledged(account.Status?.Conditions))
        {
            waiting.Add($"ClientAccount {account.Metadata.Name}");
        }

        waiting.AddRange(pass.Projects
            .Where(p => pass.Status.HeldProjects?.Contains(p.Metadata.Name) == true && !TransferGate.Acknowledged(p.Status?.Conditions))
            .Select(p => $"Project {p.Metadata.Name}"));
        return waiting;
    }

    private StepOutcome Wait(TransferPass pass, string message)
    {
        pass.Step(TransferStepName.Preflight, TransferStepState.Waiting, message);
        return StepOutcome.Progressing(ConditionReasons.WaitingForAccount, message, options.WaitForClient, "WaitForClientAccount") with { StopsPass = true };
    }

    private static StepOutcome Refuse(TransferPass pass, string reason, string message)
    {
        pass.Step(TransferStepName.Preflight, TransferStepState.Failed, message);
        return StepOutcome.Terminal(reason, message);
    }
}
