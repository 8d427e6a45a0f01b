using Microsoft.Extensions.Options;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary><see cref="CreationQueue.IsUrgent"/>: the work queue's urgent lane holds exactly the creation queue's waiters (not the slot holders, whose passes go on to place their accounts).</summary>
public sealed class CreationQueueUrgencyTests
{
    [Fact]
    public void Waiters_are_urgent_until_they_leave_the_queue_and_slot_holders_are_not()
    {
        using var queue = new CreationQueue(Options.Create(new ClientAccountOptions { MaxCreationsInFlight = 1 }), TimeProvider.System);
        var holder = Fixtures.Account("holder");
        var waiter = Fixtures.Account("waiter");
        var other = Fixtures.Account("other");

        Assert.False(queue.IsUrgent(ObjectKey.From(holder)));
        Assert.True(queue.TryAcquire(holder));
        Assert.False(queue.Decide(waiter, [holder, waiter]).MayCreate);

        Assert.False(queue.IsUrgent(ObjectKey.From(holder)));
        Assert.True(queue.IsUrgent(ObjectKey.From(waiter)));
        Assert.False(queue.IsUrgent(ObjectKey.From(other)));

        queue.Release(holder.Metadata.Uid!);
        queue.Forget(waiter.Metadata.Uid!);

        Assert.False(queue.IsUrgent(ObjectKey.From(holder)));
        Assert.False(queue.IsUrgent(ObjectKey.From(waiter)));
    }

    [Fact]
    public void The_controller_reserves_two_workers_for_the_creation_queue_by_default() =>
        Assert.Equal(2, new ClientAccountOptions().UrgentWorkers);
}
