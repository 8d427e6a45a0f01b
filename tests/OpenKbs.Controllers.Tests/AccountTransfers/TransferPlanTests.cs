using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers;

namespace OpenKbs.Controllers.Tests.AccountTransfers;

public sealed class TransferPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_ledger_lists_every_step_once_in_order_even_from_a_partial_or_shuffled_status()
    {
        var status = new AccountTransferStatus
        {
            Steps = [new TransferStep { Name = TransferStepName.Approval, State = TransferStepState.Waiting, Message = "kept" }, new TransferStep { Name = TransferStepName.Preflight, State = TransferStepState.Succeeded }],
        };

        Assert.Equal(TransferStepState.Pending, TransferPlan.Get(status, TransferStepName.Release).State);

        Assert.Equal(Enum.GetValues<TransferStepName>(), status.Steps!.Select(s => s.Name));
        Assert.Equal("kept", TransferPlan.Get(status, TransferStepName.Approval).Message);
        Assert.True(TransferPlan.IsDone(status, TransferStepName.Preflight));
        Assert.Equal(9, status.Steps!.Count);
    }

    [Fact]
    public void A_steps_time_moves_only_when_its_state_changes_and_long_messages_are_cut_to_the_schema_limit()
    {
        var status = new AccountTransferStatus();
        Assert.True(TransferPlan.Set(status, TransferStepName.VerifyEmail, TransferStepState.Waiting, "put the code", T0));
        Assert.True(TransferPlan.Set(status, TransferStepName.VerifyEmail, TransferStepState.Waiting, "put the code again", T0.AddMinutes(1)));
        Assert.Equal(T0.UtcDateTime, TransferPlan.Get(status, TransferStepName.VerifyEmail).LastTransitionTime);
        Assert.False(TransferPlan.Set(status, TransferStepName.VerifyEmail, TransferStepState.Waiting, "put the code again", T0.AddMinutes(2)));

        Assert.True(TransferPlan.Set(status, TransferStepName.VerifyEmail, TransferStepState.Succeeded, new string('x', 2000), T0.AddMinutes(3)));
        var step = TransferPlan.Get(status, TransferStepName.VerifyEmail);
        Assert.Equal(T0.AddMinutes(3).UtcDateTime, step.LastTransitionTime);
        Assert.Equal(1024, step.Message!.Length);
    }

    [Theory]
    [InlineData(0, TransferStepState.InProgress, TransferPhase.Pending)]
    [InlineData(1, TransferStepState.Waiting, TransferPhase.VerifyingEmail)]
    [InlineData(2, TransferStepState.Waiting, TransferPhase.VerifyingEmail)]
    [InlineData(3, TransferStepState.Waiting, TransferPhase.AwaitingClient)]
    [InlineData(4, TransferStepState.Waiting, TransferPhase.AwaitingApproval)]
    [InlineData(5, TransferStepState.InProgress, TransferPhase.Removing)]
    [InlineData(5, TransferStepState.Waiting, TransferPhase.AwaitingClient)]
    [InlineData(6, TransferStepState.InProgress, TransferPhase.AwaitingAccessRevocation)]
    [InlineData(7, TransferStepState.Waiting, TransferPhase.AwaitingAccessRevocation)]
    [InlineData(8, TransferStepState.InProgress, TransferPhase.AwaitingAccessRevocation)]
    [InlineData(9, TransferStepState.Succeeded, TransferPhase.Completed)]
    [InlineData(3, TransferStepState.Failed, TransferPhase.Failed)]
    public void The_phase_is_that_of_the_first_step_not_done(int done, TransferStepState state, TransferPhase phase)
    {
        var status = new AccountTransferStatus();
        foreach (var name in TransferPlan.Order.Take(done))
        {
            TransferPlan.Set(status, name, TransferStepState.Succeeded, "done", T0);
        }

        if (done < TransferPlan.Order.Count)
        {
            TransferPlan.Set(status, TransferPlan.Order[done], state, "now", T0);
        }

        Assert.Equal(phase, TransferPlan.PhaseOf(status));
    }
}
