using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The end of every ClientAccount pass: component conditions, Synced and Ready through <see cref="PassConditions"/>; a
/// condition a step already wrote this pass stays as written. Ready is True when the account is ACTIVE and every component
/// condition is True; a terminal outcome before any account exists marks the account Failed.
/// </summary>
internal static class Readiness
{
    public static void Conclude(AccountPass pass, IReadOnlyList<IRecipeStep<AccountPass>> steps, PassRecord<AccountPass> record, ReconcileResult result)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(result);
        var status = pass.Status;
        status.State ??= AccountState.Pending;
        if (status.State != AccountState.Queued)
        {
            status.QueuePosition = null;
        }

        PassConditions.ApplySteps(steps, record, result, (type, value, reason, message) =>
            !pass.WrittenThisPass.Contains(type) && pass.SetCondition(type, value, reason, message));
        if (result.Outcome == ReconcileOutcome.Terminal
            && status.AccountId is null && status.CreateAccountRequestId is null && status.CreateAccountStartedAt is null)
        {
            status.State = AccountState.Failed;
        }

        var blocking = steps.Select(s => s.ConditionType!).Select(t => (Type: t, Condition: Conditions.Find(status.Conditions, t)))
            .FirstOrDefault(c => c.Condition?.Status != ConditionStatus.True);
        (string, string)? blocked = blocking.Type is not null
            ? (blocking.Condition?.Reason ?? result.Reason ?? ConditionReasons.Reconciling, $"{blocking.Type}: {blocking.Condition?.Message}")
            : status.State == AccountState.Active ? null : (result.Reason ?? ConditionReasons.Reconciling, $"account {status.AccountId} is {status.State}");
        PassConditions.ConcludeReady(result, blocked, $"account {status.AccountId} is ACTIVE, placed, guarded and reachable",
            pass.Condition(ConditionTypes.Ready).IsTrue, pass.SetCondition);
    }
}
