using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Runtime.Queue;

namespace OpenKbs.Runtime.Tests.Queue;

/// <summary>The urgent lane of <see cref="WorkQueue"/>: urgent keys first, reserved workers, client-go semantics across lanes.</summary>
public sealed class WorkQueueLaneTests
{
    private static readonly ObjectKey A = new("ns", "a");
    private static readonly ObjectKey B = new("ns", "b");
    private static readonly ObjectKey C = new("ns", "c");
    private static readonly ObjectKey U = new("ns", "urgent");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentDictionary<ObjectKey, bool> _urgent = new();

    [Fact]
    public async Task Urgent_keys_are_handed_out_before_earlier_normal_keys()
    {
        using var queue = NewQueue();
        _urgent[U] = true;
        queue.Add(A, ReconcileTrigger.Added);
        queue.Add(B, ReconcileTrigger.Added);
        queue.Add(U, ReconcileTrigger.Related);

        Assert.Equal(3, queue.Length);
        Assert.Equal(1, queue.UrgentLength);
        Assert.Equal([U, A, B], [(await queue.GetAsync(CancellationToken.None))!.Key, (await queue.GetAsync(CancellationToken.None))!.Key, (await queue.GetAsync(CancellationToken.None))!.Key]);
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_delayed_key_that_is_urgent_when_due_goes_first()
    {
        using var queue = NewQueue();
        queue.Add(A, ReconcileTrigger.Added);
        queue.AddAfter(U, TimeSpan.FromSeconds(5), ReconcileTrigger.Scheduled);
        _urgent[U] = true;

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(new WorkItem(U, ReconcileTrigger.Scheduled), await queue.GetAsync(CancellationToken.None));
        Assert.Equal(A, (await queue.GetAsync(CancellationToken.None))!.Key);
    }

    [Fact]
    public async Task An_urgent_only_worker_never_takes_a_normal_key()
    {
        using var queue = NewQueue();
        queue.Add(A, ReconcileTrigger.Added);
        var reserved = queue.GetUrgentAsync(CancellationToken.None).AsTask();
        queue.Add(B, ReconcileTrigger.Added);

        Assert.False(reserved.IsCompleted);
        Assert.Equal(2, queue.Length);

        _urgent[U] = true;
        queue.Add(U, ReconcileTrigger.Related);

        Assert.Equal(U, (await reserved)!.Key);
        Assert.Equal(A, (await queue.GetAsync(CancellationToken.None))!.Key);
        Assert.Equal(B, (await queue.GetAsync(CancellationToken.None))!.Key);
    }

    [Fact]
    public async Task A_reserved_worker_gets_an_urgent_key_while_every_normal_worker_is_busy()
    {
        using var queue = NewQueue();
        queue.Add(A, ReconcileTrigger.Added);
        queue.Add(B, ReconcileTrigger.Added);
        queue.Add(C, ReconcileTrigger.Added);
        // Two normal workers hold A and B (never Done: blocked for good); C waits for a normal worker.
        var busy = new[] { await queue.GetAsync(CancellationToken.None), await queue.GetAsync(CancellationToken.None) };
        var reserved = queue.GetUrgentAsync(CancellationToken.None).AsTask();

        _urgent[U] = true;
        queue.Add(U, ReconcileTrigger.Related);

        Assert.Equal([A, B], busy.Select(i => i!.Key));
        Assert.Equal(new WorkItem(U, ReconcileTrigger.Related), await reserved);
        Assert.True(queue.IsProcessing(U));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public async Task An_urgent_key_goes_to_a_waiting_reserved_worker_before_a_waiting_general_one()
    {
        using var queue = NewQueue();
        var general = queue.GetAsync(CancellationToken.None).AsTask();
        var reserved = queue.GetUrgentAsync(CancellationToken.None).AsTask();

        _urgent[U] = true;
        queue.Add(U, ReconcileTrigger.Related);
        queue.Add(A, ReconcileTrigger.Added);

        Assert.Equal(U, (await reserved)!.Key);
        Assert.Equal(A, (await general)!.Key);
    }

    [Fact]
    public async Task A_waiting_normal_key_that_becomes_urgent_is_served_once_as_urgent_with_all_triggers()
    {
        using var queue = NewQueue();
        queue.Add(B, ReconcileTrigger.Added);
        queue.Add(A, ReconcileTrigger.Added);
        _urgent[A] = true;
        queue.Add(A, ReconcileTrigger.Related);

        Assert.Equal(2, queue.Length);
        Assert.Equal(1, queue.UrgentLength);
        var reserved = await queue.GetUrgentAsync(CancellationToken.None);
        Assert.Equal(new WorkItem(A, ReconcileTrigger.Added | ReconcileTrigger.Related), reserved);
        queue.Done(A);

        Assert.Equal(B, (await queue.GetAsync(CancellationToken.None))!.Key);
        Assert.Equal(0, queue.Length);
        var next = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        queue.ShutDown();
        Assert.Null(await next);
    }

    [Fact]
    public async Task An_urgent_key_in_process_is_not_handed_to_a_reserved_worker_until_done()
    {
        using var queue = NewQueue();
        _urgent[U] = true;
        queue.Add(U, ReconcileTrigger.Added);
        var first = await queue.GetAsync(CancellationToken.None);
        var reserved = queue.GetUrgentAsync(CancellationToken.None).AsTask();

        queue.Add(U, ReconcileTrigger.SpecChanged);

        Assert.False(reserved.IsCompleted);
        Assert.Equal(0, queue.Length);
        queue.Done(first!.Key);
        Assert.Equal(new WorkItem(U, ReconcileTrigger.SpecChanged), await reserved);
    }

    [Fact]
    public async Task A_key_that_stopped_being_urgent_goes_back_to_the_normal_lane_on_its_next_add()
    {
        using var queue = NewQueue();
        _urgent[A] = true;
        queue.Add(A, ReconcileTrigger.Added);
        Assert.Equal(A, (await queue.GetUrgentAsync(CancellationToken.None))!.Key);
        queue.Done(A);

        _urgent.TryRemove(A, out _);
        queue.Add(A, ReconcileTrigger.Scheduled);
        var reserved = queue.GetUrgentAsync(CancellationToken.None).AsTask();

        Assert.False(reserved.IsCompleted);
        Assert.Equal(0, queue.UrgentLength);
        Assert.Equal(A, (await queue.GetAsync(CancellationToken.None))!.Key);
        queue.ShutDown();
        Assert.Null(await reserved);
    }

    [Fact]
    public async Task Shutdown_wakes_every_waiting_worker_of_both_kinds_with_null()
    {
        using var queue = NewQueue();
        var waiters = new[]
        {
            queue.GetAsync(CancellationToken.None).AsTask(),
            queue.GetAsync(CancellationToken.None).AsTask(),
            queue.GetUrgentAsync(CancellationToken.None).AsTask(),
            queue.GetUrgentAsync(CancellationToken.None).AsTask(),
        };
        queue.Add(A, ReconcileTrigger.Added);
        var normalWaiterGotA = await Task.WhenAny(waiters.Take(2));
        Assert.Equal(A, (await normalWaiterGotA)!.Key);

        queue.ShutDown();

        foreach (var waiter in waiters.Where(w => w != normalWaiterGotA))
        {
            Assert.Null(await waiter);
        }

        Assert.Null(await queue.GetUrgentAsync(CancellationToken.None));
        Assert.Null(await queue.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_does_not_swallow_the_next_key()
    {
        using var queue = NewQueue();
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.GetUrgentAsync(cancel.Token).AsTask();
        var general = queue.GetAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => general);

        _urgent[U] = true;
        queue.Add(U, ReconcileTrigger.Added);
        Assert.Equal(1, queue.Length);
        Assert.Equal(U, (await queue.GetUrgentAsync(CancellationToken.None))!.Key);
    }

    [Fact]
    public async Task A_throwing_predicate_leaves_the_key_in_the_normal_lane()
    {
        using var queue = new WorkQueue(
            _time, new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5)), isUrgent: _ => throw new InvalidOperationException("boom"));
        queue.Add(A, ReconcileTrigger.Added);

        Assert.Equal(0, queue.UrgentLength);
        Assert.Equal(A, (await queue.GetAsync(CancellationToken.None))!.Key);
    }

    [Fact]
    public async Task Normal_and_reserved_workers_never_process_the_same_key_at_once_and_every_add_is_served()
    {
        var keys = Enumerable.Range(0, 6).Select(i => new ObjectKey("ns", $"k{i}")).ToArray();
        var flip = 0;
        // Urgency changes under the workers' feet: every other evaluation of k0-k2 says urgent.
        using var queue = new WorkQueue(
            TimeProvider.System,
            new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)),
            isUrgent: key => string.CompareOrdinal(key.Name, "k3") < 0 && (Interlocked.Increment(ref flip) & 1) == 0);
        var normalTakenByReserved = 0;
        Func<CancellationToken, ValueTask<WorkItem?>>[] takers = [queue.GetAsync, queue.GetAsync, queue.GetAsync, queue.GetAsync, queue.GetUrgentAsync, queue.GetUrgentAsync];

        var (overlaps, processed) = await QueueStress.RunAsync(queue, keys, takers, (item, taker) =>
        {
            if (taker >= 4 && string.CompareOrdinal(item.Key.Name, "k3") >= 0)
            {
                Interlocked.Increment(ref normalTakenByReserved);
            }
        });

        Assert.Equal(0, overlaps);
        Assert.Equal(0, normalTakenByReserved);
        Assert.InRange(processed, keys.Length, 2_000);
    }

    private WorkQueue NewQueue() =>
        new(_time, new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5)), isUrgent: key => _urgent.ContainsKey(key));
}
