using System.Collections.Concurrent;
using OpenKbs.Runtime.Queue;

namespace OpenKbs.Runtime.Tests.Queue;

/// <summary>
/// Hammers a real-time <see cref="WorkQueue"/>: 2,000 adds spread over <paramref name="keys"/> while one task per taker
/// takes, yields and marks done, then shuts down. Reports how often two workers held one key at once and how many
/// items were processed; <c>observe</c> sees every item with the index of the taker that got it.
/// </summary>
internal static class QueueStress
{
    public static async Task<(int Overlaps, int Processed)> RunAsync(
        WorkQueue queue,
        IReadOnlyList<ObjectKey> keys,
        IReadOnlyList<Func<CancellationToken, ValueTask<WorkItem?>>> takers,
        Action<WorkItem, int>? observe = null)
    {
        var inFlight = new ConcurrentDictionary<ObjectKey, int>();
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();

        async Task Work(int index)
        {
            while (await takers[index](stop.Token) is { } item)
            {
                observe?.Invoke(item, index);
                if (inFlight.AddOrUpdate(item.Key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                inFlight.AddOrUpdate(item.Key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(item.Key);
            }
        }

        var workers = Enumerable.Range(0, takers.Count).Select(i => Task.Run(() => Work(i))).ToArray();
        for (var round = 0; round < 2_000; round++)
        {
            queue.Add(keys[round % keys.Count], ReconcileTrigger.Added);
            if (round % 50 == 0)
            {
                await Task.Yield();
            }
        }

        while (queue.Length > 0 || keys.Any(queue.IsProcessing))
        {
            await Task.Delay(10);
        }

        queue.ShutDown();
        await Task.WhenAll(workers);
        return (overlaps, processed);
    }
}
