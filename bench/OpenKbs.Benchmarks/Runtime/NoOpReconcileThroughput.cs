using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;
using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Controllers;

namespace OpenKbs.Benchmarks.Runtime;

/// <summary>
/// No-op reconciles per second through the whole pipeline: queue, cache read (deserialize a ~2 KB Project), reconciler
/// call in a DI scope, status snapshot before and after, change detection, outcome scheduling, metrics.
/// </summary>
internal sealed class NoOpReconcileThroughput : IMeasurement
{
    private const int Objects = 20_000;

    public string Group => "runtime";

    public string Title => "no-op reconcile throughput";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<MeasurementResult>();
        await MeasureAsync(1, cancellationToken); // warm-up (JIT)
        foreach (var workers in new[] { 1, 4 })
        {
            var perSecond = await MeasureAsync(workers, cancellationToken);
            results.Add(new MeasurementResult(
                $"no-op reconciles/s, {Objects:N0} Projects, {workers} worker(s), {Environment.ProcessorCount} cores",
                $"{perSecond:N0}/s",
                ">= 2,000/s",
                perSecond >= 2_000));
        }

        return results;
    }

    private static async Task<double> MeasureAsync(int workers, CancellationToken cancellationToken)
    {
        var counter = new Counter(Objects);
        await using var provider = RuntimeBench.Build(
            services =>
            {
                services.AddSingleton(counter);
                services.AddController<Project, CountingReconciler>(ResourceDescriptor.For<Project>());
            },
            workers);
        RuntimeBench.Fill(provider.GetRequiredService<InformerRegistry>().Get(typeof(Project)), Objects);
        var controller = provider.GetServices<IManagedController>().Single();
        using var intake = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        var run = controller.RunAsync(intake.Token, CancellationToken.None);
        await counter.AllDone.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        stopwatch.Stop();
        await intake.CancelAsync();
        await run;
        return Objects / stopwatch.Elapsed.TotalSeconds;
    }

    internal sealed class Counter(int target)
    {
        private int _count;

        public TaskCompletionSource AllDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Hit()
        {
            if (Interlocked.Increment(ref _count) == target)
            {
                AllDone.TrySetResult();
            }
        }
    }

    internal sealed class CountingReconciler(Counter counter) : IReconciler<Project>
    {
        public Task<ReconcileResult> ReconcileAsync(Project resource, ReconcileContext context, CancellationToken cancellationToken)
        {
            counter.Hit();
            return Task.FromResult(ReconcileResult.Done());
        }
    }
}
