using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The end of every pass (a finally block, so every exit path publishes): Ready from the four component conditions
/// and the outcome; components not reached yet are Unknown; a terminal outcome shows as Ready=False with its Terminal*
/// reason; a transient error flips Synced, not a Ready that was True (Argo CD health must not flap on a throttled drift check).
/// </summary>
internal static class Readiness
{
    public static readonly IReadOnlyList<string> Components =
        [ConditionTypes.AccountCreated, ConditionTypes.Placed, ConditionTypes.GuardrailsApplied, ConditionTypes.AccessVerified];

    public static void Conclude(AccountPass pass, ReconcileResult result)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(result);
        var status = pass.Status;
        status.State ??= AccountState.Pending;
        if (status.State != AccountState.Queued)
        {
            status.QueuePosition = null;
        }

        foreach (var type in Components)
        {
            if (Conditions.Find(status.Conditions, type) is null)
            {
                pass.SetCondition(type, ConditionStatus.Unknown, ConditionReasons.Reconciling, "not reached yet");
            }
        }

        switch (result.Outcome)
        {
            case ReconcileOutcome.Terminal:
                pass.SetCondition(ConditionTypes.Ready, ConditionStatus.False, result.Reason!, result.Message ?? result.Reason!);
                pass.SetCondition(ConditionTypes.Synced, ConditionStatus.False, result.Reason!, result.Message ?? result.Reason!);
                if (status.AccountId is null && status.CreateAccountRequestId is null && status.CreateAccountStartedAt is null)
                {
                    status.State = AccountState.Failed;
                }

                return;
            case ReconcileOutcome.Transient:
                var message = result.Message ?? result.Reason ?? "transient error";
                pass.SetCondition(ConditionTypes.Synced, ConditionStatus.False, ConditionReasons.TransientError, $"{result.Reason}: {message}; retrying with backoff");
                if (!pass.Condition(ConditionTypes.Ready).IsTrue)
                {
                    pass.SetCondition(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.TransientError, $"{result.Reason}: {message}; retrying with backoff");
                }

                return;
        }

        pass.SetCondition(ConditionTypes.Synced, ConditionStatus.True, ConditionReasons.Available, "the spec is applied");
        var blocking = Components.Select(t => (Type: t, View: pass.Condition(t))).FirstOrDefault(c => !c.View.IsTrue);
        if (blocking.Type is null && status.State == AccountState.Active)
        {
            pass.SetCondition(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.Available,
                $"account {status.AccountId} is ACTIVE, placed, guarded and reachable");
            return;
        }

        var condition = blocking.Type is null ? null : Conditions.Find(status.Conditions, blocking.Type);
        pass.SetCondition(ConditionTypes.Ready, ConditionStatus.False,
            condition?.Reason ?? result.Reason ?? ConditionReasons.Reconciling,
            condition is null ? $"account {status.AccountId} is {status.State}" : $"{blocking.Type}: {condition.Message}");
    }
}
