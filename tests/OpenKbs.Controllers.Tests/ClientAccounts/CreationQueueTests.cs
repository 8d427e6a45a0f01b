using k8s.Models;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class CreationQueueTests
{
    public static TheoryData<string, ClientAccount, bool> Waiting => new()
    {
        { "new", Fixtures.Account("a"), true },
        { "pending", Fixtures.Account("a", status: s => s.State = AccountState.Pending), true },
        { "queued", Fixtures.Account("a", status: s => s.State = AccountState.Queued), true },
        { "creating (request id)", Fixtures.Account("a", status: s => { s.State = AccountState.Creating; s.CreateAccountRequestId = "car-1"; }), false },
        { "marker only (outcome unknown)", Fixtures.Account("a", status: s => s.CreateAccountStartedAt = DateTime.UtcNow), false },
        { "has an account", Fixtures.Account("a", status: s => { s.State = AccountState.Active; s.AccountId = "111111111111"; }), false },
        { "adopts", Fixtures.Account("a", s => s with { AdoptAccountId = "111111111111" }), false },
        { "failed", Fixtures.Account("a", status: s => s.State = AccountState.Failed), false },
        { "terminal Ready", Fixtures.Account("a", status: s => s.Conditions.Add(new V1Condition { Type = ConditionTypes.Ready, Status = "False", Reason = ConditionReasons.TerminalOwnershipConflict })), false },
        { "deleting", With(Fixtures.Account("a"), r => r.Metadata.DeletionTimestamp = DateTime.UtcNow), false },
        { "paused", With(Fixtures.Account("a"), r => r.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Paused] = "true" }), false },
    };

    [Theory]
    [MemberData(nameof(Waiting))]
    public void Only_objects_that_still_need_a_creation_slot_wait(string _, ClientAccount resource, bool waits) =>
        Assert.Equal(waits, CreationQueue.NeedsSlot(resource));

    [Theory]
    [InlineData(0, 0, 1, true, 1)]
    [InlineData(5, 0, 1, false, 1)]
    [InlineData(5, 3, 4, false, 4)]
    [InlineData(4, 3, 4, false, 3)]
    [InlineData(2, 2, 3, true, 1)]
    [InlineData(2, 3, 4, false, 1)]
    public void Position_counts_only_older_waiters_and_free_slots_decide(int inFlight, int olderWaiting, int expectedPosition, bool mayCreate, int queuePosition)
    {
        var older = Enumerable.Range(0, olderWaiting).Select(i => Fixtures.Account($"old{i}", created: new DateTime(2026, 1, 1, 0, 0, i, DateTimeKind.Utc))).ToList();
        var younger = Fixtures.Account("young", created: new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        var me = Fixtures.Account("me", created: new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc));

        var decision = CreationQueue.Decide(me, [.. older, younger, me], capacity: 5, inFlight);

        Assert.Equal(expectedPosition, decision.Position);
        Assert.Equal(mayCreate, decision.MayCreate);
        Assert.Equal(queuePosition, decision.QueuePosition);
        Assert.Equal(olderWaiting + 2, decision.Waiting);
    }

    [Fact]
    public void Ties_on_creation_time_are_broken_by_uid()
    {
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var a = Fixtures.Account("a", created: at);
        var b = Fixtures.Account("b", created: at);
        a.Metadata.Uid = "uid-1";
        b.Metadata.Uid = "uid-2";

        Assert.Equal(1, CreationQueue.Decide(a, [a, b], 1, 0).Position);
        Assert.Equal(2, CreationQueue.Decide(b, [a, b], 1, 0).Position);
    }

    [Fact]
    public void Slots_are_restored_from_status_once_and_never_exceed_capacity_for_new_requests()
    {
        var queue = NewQueue(capacity: 2);
        var creating = Fixtures.Account("creating", status: s => s.CreateAccountRequestId = "car-1");
        var unknown = Fixtures.Account("unknown", status: s => s.CreateAccountStartedAt = DateTime.UtcNow);
        var done = Fixtures.Account("done", status: s => { s.CreateAccountRequestId = "car-2"; s.AccountId = "111111111111"; });

        queue.RestoreOnce([creating, unknown, done]);
        queue.RestoreOnce([Fixtures.Account("late", status: s => s.CreateAccountRequestId = "car-3")]);

        Assert.Equal(2, queue.InFlight);
        Assert.True(queue.Holds(creating.Metadata.Uid!));
        Assert.False(queue.TryAcquire(Fixtures.Account("new")));
        queue.Release(creating.Metadata.Uid!);
        Assert.Equal(1, queue.InFlight);
        Assert.True(queue.TryAcquire(Fixtures.Account("new")));
        Assert.Equal(2, queue.InFlight);
    }

    [Fact]
    public void A_slot_change_wakes_the_waiters_that_can_take_a_slot_and_the_next_in_line()
    {
        var queue = NewQueue(capacity: 1);
        var holder = Fixtures.Account("holder");
        var first = Fixtures.Account("first");
        var second = Fixtures.Account("second");
        var cache = new ListCache(holder, first, second);
        Assert.True(queue.TryAcquire(holder));
        Assert.False(queue.Decide(second, [holder, first, second]).MayCreate);
        Assert.False(queue.Decide(first, [holder, first, second]).MayCreate);
        Assert.Equal([ObjectKey.From(first)], queue.WakeKeys(holder, cache));

        Assert.Empty(queue.WakeKeys(first, cache));
        queue.Release(holder.Metadata.Uid!);

        Assert.Equal([ObjectKey.From(first), ObjectKey.From(second)], queue.WakeKeys(holder, cache));
        Assert.Equal([ObjectKey.From(first)], queue.WakeKeys(second, cache));
    }

    [Fact]
    public void Requests_AWS_no_longer_lists_in_progress_free_their_slots_and_wake_their_owners()
    {
        var queue = NewQueue(capacity: 3);
        var done = Fixtures.Account("done");
        var running = Fixtures.Account("running");
        var unknown = Fixtures.Account("unknown");
        var waiter = Fixtures.Account("waiter");
        var cache = new ListCache(done, running, unknown, waiter);
        queue.Hold(done, "car-done");
        queue.Hold(running, "car-running");
        queue.Hold(unknown);
        Assert.False(queue.Decide(waiter, [waiter]).MayCreate);
        _ = queue.WakeKeys(waiter, cache).ToList();

        queue.ReconcileWithAws(["car-running", "car-someone-else"], DateTimeOffset.UtcNow);

        Assert.Equal(2, queue.InFlight);
        Assert.Equal(1, queue.OutsideInFlight); // car-someone-else
        Assert.False(queue.Holds(done.Metadata.Uid!));
        Assert.True(queue.Holds(unknown.Metadata.Uid!));
        Assert.Equal([ObjectKey.From(done), ObjectKey.From(waiter)], queue.WakeKeys(running, cache));
    }

    [Fact]
    public void A_listing_stands_in_for_a_new_one_only_for_a_short_while()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var queue = NewQueue(capacity: 5, time);
        Assert.False(queue.AwsCountIsFresh(time.GetUtcNow())); // never listed

        queue.ReconcileWithAws([], time.GetUtcNow());
        Assert.True(queue.AwsCountIsFresh(time.GetUtcNow()));
        time.Advance(CreationQueue.AwsCountFreshFor);
        Assert.True(queue.AwsCountIsFresh(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(queue.AwsCountIsFresh(time.GetUtcNow()));
        Assert.False(queue.AwsCountIsFresh(time.GetUtcNow() - TimeSpan.FromHours(1))); // a clock that went back proves nothing
    }

    [Fact]
    public void An_email_is_claimed_by_another_object_holding_a_slot_in_this_process_or_an_account_or_request_in_the_cache()
    {
        var queue = NewQueue(capacity: 5);
        var me = Fixtures.Account("me", s => s with { Email = "shared@example.com" });
        var waiting = Fixtures.Account("waiting", s => s with { Email = "Shared@Example.com" });
        Assert.False(queue.EmailClaimedByOther(me.Metadata.Uid!, me.Spec.Email, [me, waiting])); // another waiter claims nothing

        var holding = Fixtures.Account("holding", s => s with { Email = "SHARED@example.com" });
        Assert.True(queue.TryAcquire(holding)); // creation started, the cache may not show its marker yet
        Assert.True(queue.EmailClaimedByOther(me.Metadata.Uid!, me.Spec.Email, [me]));
        Assert.False(queue.EmailClaimedByOther(holding.Metadata.Uid!, holding.Spec.Email, [holding])); // not by itself
        queue.Release(holding.Metadata.Uid!);
        Assert.False(queue.EmailClaimedByOther(me.Metadata.Uid!, me.Spec.Email, [me]));

        var created = Fixtures.Account("created", s => s with { Email = "shared@example.com" }, status: s => s.AccountId = "111111111111");
        var marker = Fixtures.Account("marker", s => s with { Email = "shared@example.com" }, status: s => s.CreateAccountStartedAt = DateTime.UtcNow);
        var other = Fixtures.Account("other", status: s => s.AccountId = "222222222222");
        Assert.True(queue.EmailClaimedByOther(me.Metadata.Uid!, me.Spec.Email, [me, created]));
        Assert.True(queue.EmailClaimedByOther(me.Metadata.Uid!, me.Spec.Email, [me, marker]));
        Assert.False(queue.EmailClaimedByOther(me.Metadata.Uid!, me.Spec.Email, [me, other]));
    }

    [Fact]
    public void Nothing_is_woken_when_nobody_waits()
    {
        var queue = NewQueue(capacity: 1);
        var holder = Fixtures.Account("holder");
        Assert.True(queue.TryAcquire(holder));
        queue.Release(holder.Metadata.Uid!);

        Assert.Empty(queue.WakeKeys(holder, new ListCache(holder)));
    }

    [Fact]
    public void A_slot_whose_holder_vanished_from_the_cache_is_reclaimed_after_a_grace_period()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var queue = NewQueue(capacity: 1, time);
        var holder = Fixtures.Account("holder");
        Assert.True(queue.TryAcquire(holder));
        var empty = new ListCache();

        queue.Reclaim(empty);
        Assert.Equal(1, queue.InFlight);

        time.Advance(CreationQueue.ReclaimAfter + TimeSpan.FromSeconds(1));
        queue.Reclaim(new ListCache(holder));
        Assert.Equal(1, queue.InFlight);
        queue.Reclaim(empty);
        Assert.Equal(0, queue.InFlight);
    }

    private static CreationQueue NewQueue(int capacity, TimeProvider? time = null) =>
        new(Options.Create(new ClientAccountOptions { MaxCreationsInFlight = capacity }), time ?? TimeProvider.System);

    private static ClientAccount With(ClientAccount resource, Action<ClientAccount> change)
    {
        change(resource);
        return resource;
    }
}
