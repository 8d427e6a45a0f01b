using Microsoft.Extensions.Time.Testing;
using OpenKbs.Runtime.Queue;

namespace OpenKbs.Runtime.Tests.Queue;

public sealed class WorkQueueTests
{
    private static readonly ObjectKey A = new("ns", "a");
    private static readonly ObjectKey B = new("ns", "b");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_key_added_twice_while_waiting_is_handed_out_once_with_both_triggers()
    {
        using var queue = NewQueue();
        queue.Add(A, ReconcileTrigger.Added);
        queue.Add(A, ReconcileTrigger.SpecChanged);
        queue.Add(B, ReconcileTrigger.Added);

        var first = await queue.GetAsync(CancellationToken.None);
        var second = await queue.GetAsync(CancellationToken.None);

        Assert.Equal(new WorkItem(A, ReconcileTrigger.Added | ReconcileTrigger.SpecChanged), first);
        Assert.Equal(B, second!.Key);
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_key_in_process_is_not_handed_to_a_second_worker_until_done()
    {
        using var queue = NewQueue();
        queue.Add(A, ReconcileTrigger.Added);
        var item = await queue.GetAsync(CancellationToken.None);

        queue.Add(A, ReconcileTrigger.SpecChanged);

        Assert.Equal(0, queue.Length);
        Assert.True(queue.IsProcessing(A));
        queue.Done(item!.Key);
        Assert.Equal(1, queue.Length);
        var again = await queue.GetAsync(CancellationToken.None);
        Assert.Equal(new WorkItem(A, ReconcileTrigger.SpecChanged), again);
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = NewQueue();
        queue.Add(A, ReconcileTrigger.Added);
        var item = await queue.GetAsync(CancellationToken.None);

        queue.Done(item!.Key);

        Assert.Equal(0, queue.Length);
        Assert.False(queue.IsProcessing(A));
    }

    [Fact]
    public void A_delayed_add_waits_for_the_clock()
    {
        using var queue = NewQueue();
        queue.AddAfter(A, TimeSpan.FromSeconds(10), ReconcileTrigger.Scheduled);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, queue.Length);
        Assert.Equal(1, queue.WaitingCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Length);
        Assert.Equal(0, queue.WaitingCount);
    }

    [Fact]
    public void The_earlier_of_two_delayed_adds_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter(A, TimeSpan.FromSeconds(10), ReconcileTrigger.Scheduled);
        queue.AddAfter(A, TimeSpan.FromSeconds(60), ReconcileTrigger.Related);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, queue.Length);
        Assert.Equal(0, queue.WaitingCount);
    }

    [Fact]
    public void Reschedule_replaces_an_earlier_time()
    {
        using var queue = NewQueue();
        queue.AddAfter(A, TimeSpan.FromSeconds(10), ReconcileTrigger.Scheduled);
        queue.Reschedule(A, TimeSpan.FromMinutes(30), ReconcileTrigger.TerminalRecheck);

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, queue.Length);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public async Task Delayed_keys_come_out_in_time_order()
    {
        using var queue = NewQueue();
        queue.AddAfter(B, TimeSpan.FromSeconds(20), ReconcileTrigger.Scheduled);
        queue.AddAfter(A, TimeSpan.FromSeconds(5), ReconcileTrigger.Scheduled);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(A, (await queue.GetAsync(CancellationToken.None))!.Key);
        Assert.Equal(B, (await queue.GetAsync(CancellationToken.None))!.Key);
    }

    [Fact]
    public void AddRateLimited_waits_five_ms_then_ten_and_forget_resets()
    {
        using var queue = NewQueue();

        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited(A, ReconcileTrigger.Retry));
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited(A, ReconcileTrigger.Retry));
        Assert.Equal(2, queue.NumRequeues(A));

        queue.Forget(A);
        Assert.Equal(0, queue.NumRequeues(A));
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public async Task Shutdown_drops_waiting_and_delayed_keys_and_releases_workers()
    {
        using var queue = NewQueue();
        var waitingWorker = queue.GetAsync(CancellationToken.None).AsTask();
        queue.AddAfter(B, TimeSpan.FromSeconds(1), ReconcileTrigger.Scheduled);

        queue.ShutDown();
        queue.Add(A, ReconcileTrigger.Added);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await waitingWorker);
        Assert.Null(await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Length);
        Assert.Equal(0, queue.WaitingCount);
    }

    [Fact]
    public async Task Many_workers_never_process_the_same_key_at_the_same_time()
    {
        using var queue = new WorkQueue(TimeProvider.System, new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)));
        var keys = Enumerable.Range(0, 5).Select(i => new ObjectKey("ns", $"k{i}")).ToArray();

        var (overlaps, processed) = await QueueStress.RunAsync(queue, keys, [.. Enumerable.Repeat<Func<CancellationToken, ValueTask<WorkItem?>>>(queue.GetAsync, 8)]);

        Assert.Equal(0, overlaps);
        Assert.InRange(processed, keys.Length, 2_000);
    }

    private WorkQueue NewQueue() => new(_time, new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5)));
}
