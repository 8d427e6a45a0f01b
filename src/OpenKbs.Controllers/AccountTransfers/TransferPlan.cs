using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// The step plan of a transfer and its ledger in <c>status.steps</c>: one entry per <see cref="TransferStepName"/>, always all of
/// them and in order; a step's <c>lastTransitionTime</c> changes only when its state does; the phase follows from the steps.
/// </summary>
internal static class TransferPlan
{
    /// <summary>The steps in order.</summary>
    public static IReadOnlyList<TransferStepName> Order { get; } = Enum.GetValues<TransferStepName>();

    /// <summary>The entry of <paramref name="name"/> (the ledger is completed first, so every step is there in order).</summary>
    public static TransferStep Get(AccountTransferStatus status, TransferStepName name)
    {
        ArgumentNullException.ThrowIfNull(status);
        Complete(status);
        return status.Steps!.Single(s => s.Name == name);
    }

    /// <summary>True when the step has Succeeded.</summary>
    public static bool IsDone(AccountTransferStatus status, TransferStepName name) => Get(status, name).State == TransferStepState.Succeeded;

    /// <summary>Sets a step's state and message; true when anything changed. The time changes only with the state.</summary>
    public static bool Set(AccountTransferStatus status, TransferStepName name, TransferStepState state, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var step = Get(status, name);
        var text = message.Length > 1024 ? message[..1021] + "..." : message;
        if (step.State == state && step.Message == text && step.LastTransitionTime is not null)
        {
            return false;
        }

        if (step.State != state || step.LastTransitionTime is null)
        {
            step.LastTransitionTime = now.UtcDateTime;
        }

        step.State = state;
        step.Message = text;
        return true;
    }

    /// <summary>Where the transfer is, from its steps: the first step that has not succeeded decides.</summary>
    public static TransferPhase PhaseOf(AccountTransferStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Complete(status);
        var steps = status.Steps!;
        if (steps.Any(s => s.State == TransferStepState.Failed))
        {
            return TransferPhase.Failed;
        }

        var open = steps.FirstOrDefault(s => s.State != TransferStepState.Succeeded);
        return open?.Name switch
        {
            null => TransferPhase.Completed,
            TransferStepName.Preflight => TransferPhase.Pending,
            TransferStepName.StartEmailUpdate or TransferStepName.VerifyEmail => TransferPhase.VerifyingEmail,
            TransferStepName.StandaloneReadiness => TransferPhase.AwaitingClient,
            TransferStepName.Approval => TransferPhase.AwaitingApproval,
            TransferStepName.RemoveFromOrganization => open.State == TransferStepState.Waiting ? TransferPhase.AwaitingClient : TransferPhase.Removing,
            _ => TransferPhase.AwaitingAccessRevocation,
        };
    }

    private static void Complete(AccountTransferStatus status)
    {
        var steps = status.Steps ?? [];
        if (steps.Count == Order.Count && steps.Select(s => s.Name).SequenceEqual(Order))
        {
            status.Steps ??= steps;
            return;
        }

        status.Steps = [.. Order.Select(name => steps.FirstOrDefault(s => s.Name == name) ?? new TransferStep { Name = name, State = TransferStepState.Pending })];
    }
}
