using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Resilience;

namespace OpenKbs.Aws.Tests.Resilience;

/// <summary>The client-side rate limit: the rate it keeps, and urgent calls served before waiting normal ones.</summary>
public sealed class PriorityTokenBucketTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200); // one token at 5/s

    [Fact]
    public async Task It_starts_full_then_hands_out_one_token_per_period()
    {
        var time = new FakeTimeProvider();
        using var bucket = new PriorityTokenBucket(5, 2, 100, time);
        Assert.True((await bucket.AcquireAsync(AwsCallPriority.Normal, default)).IsAcquired);
        Assert.True((await bucket.AcquireAsync(AwsCallPriority.Normal, default)).IsAcquired);
        var third = bucket.AcquireAsync(AwsCallPriority.Normal, default).AsTask();
        var fourth = bucket.AcquireAsync(AwsCallPriority.Normal, default).AsTask();
        Assert.False(third.IsCompleted);

        time.Advance(Tick - TimeSpan.FromMilliseconds(1));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await third.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.False(fourth.IsCompleted);
        time.Advance(Tick);
        Assert.True((await fourth.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.Equal(0, bucket.Waiting);
    }

    [Fact]
    public async Task Urgent_waiters_are_served_before_earlier_normal_ones_and_each_class_in_arrival_order()
    {
        var time = new FakeTimeProvider();
        using var bucket = new PriorityTokenBucket(5, 1, 100, time);
        Assert.True((await bucket.AcquireAsync(AwsCallPriority.Normal, default)).IsAcquired);
        var order = new List<string>();
        var waits = new List<Task>();
        foreach (var (name, priority) in new[]
                 {
                     ("normal-1", AwsCallPriority.Normal), ("normal-2", AwsCallPriority.Normal), ("urgent-1", AwsCallPriority.Urgent),
                     ("normal-3", AwsCallPriority.Normal), ("urgent-2", AwsCallPriority.Urgent),
                 })
        {
            var acquire = bucket.AcquireAsync(priority, default).AsTask();
            waits.Add(acquire.ContinueWith(_ => { lock (order) { order.Add(name); } }, TaskScheduler.Default));
        }

        for (var k = 1; k <= 5; k++)
        {
            time.Advance(Tick);
            await WaitUntilAsync(() => { lock (order) { return order.Count >= k; } });
        }

        await Task.WhenAll(waits);
        Assert.Equal(["urgent-1", "urgent-2", "normal-1", "normal-2", "normal-3"], order);
    }

    [Fact]
    public async Task An_urgent_call_takes_a_free_token_at_once_although_normal_calls_wait_for_later_ones()
    {
        var time = new FakeTimeProvider();
        using var bucket = new PriorityTokenBucket(5, 1, 100, time);
        Assert.True((await bucket.AcquireAsync(AwsCallPriority.Normal, default)).IsAcquired);
        var normal = bucket.AcquireAsync(AwsCallPriority.Normal, default).AsTask();
        var urgent = bucket.AcquireAsync(AwsCallPriority.Urgent, default).AsTask();
        time.Advance(Tick);
        Assert.True((await urgent.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.False(normal.IsCompleted);
        time.Advance(Tick);
        Assert.True((await normal.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_a_cancelled_waiter_gives_its_turn_to_the_next()
    {
        var time = new FakeTimeProvider();
        using var bucket = new PriorityTokenBucket(5, 1, 2, time);
        Assert.True((await bucket.AcquireAsync(AwsCallPriority.Normal, default)).IsAcquired);
        using var cancel = new CancellationTokenSource();
        var first = bucket.AcquireAsync(AwsCallPriority.Normal, cancel.Token).AsTask();
        var second = bucket.AcquireAsync(AwsCallPriority.Normal, default).AsTask();
        Assert.False((await bucket.AcquireAsync(AwsCallPriority.Urgent, default)).IsAcquired); // queue limit 2: refused, not queued

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(1, bucket.Waiting);
        time.Advance(Tick);
        Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.Equal(0, bucket.Waiting);
    }

    [Fact]
    public async Task Disposing_fails_the_waiters_instead_of_leaving_them_hanging()
    {
        var time = new FakeTimeProvider();
        var bucket = new PriorityTokenBucket(5, 1, 10, time);
        Assert.True((await bucket.AcquireAsync(AwsCallPriority.Normal, default)).IsAcquired);
        var waiting = bucket.AcquireAsync(AwsCallPriority.Urgent, default).AsTask();
        bucket.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
    }

    [Fact]
    public async Task The_pipeline_serves_calls_made_inside_AwsPriority_Urgent_first()
    {
        var time = new FakeTimeProvider();
        var options = Options.Create(new AwsOptions());
        using var pipelines = new AwsResiliencePipelines(options, time, new Random(1));
        var limit = AwsRateLimits.Find("organizations", AwsRateLimits.Control)!;
        var pipeline = pipelines.For("management", AwsOperation.Read(AwsServices.Organizations, "ListAccounts"));
        var order = new List<string>();
        Task Call(string name) => pipeline.ExecuteAsync(_ => { lock (order) { order.Add(name); } return ValueTask.CompletedTask; }).AsTask();

        for (var k = 0; k < limit.Burst; k++)
        {
            await Call($"burst-{k}"); // drains the bucket
        }

        var background = Enumerable.Range(1, 3).Select(k => Call($"background-{k}")).ToList();
        Task urgent;
        using (AwsPriority.Urgent())
        {
            urgent = Call("hand-over");
        }

        Assert.Equal(AwsCallPriority.Normal, AwsPriority.Current);
        var period = TimeSpan.FromSeconds(1 / limit.RequestsPerSecond);
        time.Advance(period);
        await urgent.WaitAsync(TimeSpan.FromSeconds(5));
        for (var k = 0; k < 3; k++)
        {
            // One token per period; wait for the call it admits to run before the next, so the order recorded is the order
            // the bucket admitted them in (not the thread pool's order of two continuations released back to back).
            time.Advance(period);
            await background[k].WaitAsync(TimeSpan.FromSeconds(5));
        }

        await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["hand-over", "background-1", "background-2", "background-3"], order.Skip(limit.Burst));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }
}
