using System.Diagnostics;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Resilience;

namespace OpenKbs.Benchmarks.Aws;

/// <summary>
/// The client-side token buckets run at the table's quota, not below it: a burst of concurrent calls passes the bucket size at
/// once, then the rest at the sustained rate (AwsRateLimits).
/// </summary>
internal sealed class AwsRateLimitMeasurement : IMeasurement
{
    public string Group => "aws";

    public string Title => "Client-side rate limits reach the quota";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var (factory, provider) = AwsHarness.Build(rateLimits: true);
        await using var _ = provider;
        var clients = factory.ForManagement(AwsHarness.Actor);
        var results = new List<MeasurementResult>();
        results.AddRange(await MeasureAsync(
            "organizations",
            40,
            () => clients.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = "111111111111" }, cancellationToken)));
        results.AddRange(await MeasureAsync("iam", 80, () => clients.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "r" }, cancellationToken)));
        return results;
    }

    private static async Task<IReadOnlyList<MeasurementResult>> MeasureAsync(string service, int calls, Func<Task> call)
    {
        var limit = AwsRateLimits.Find(service, AwsRateLimits.Control)!;

        // Warm up (JIT, DI, the pipeline of this family), then let the bucket refill so the burst is measured from full.
        await call();
        await Task.Delay(TimeSpan.FromSeconds(limit.Burst / limit.RequestsPerSecond + 0.5));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => call()));
        watch.Stop();
        var sustained = (calls - limit.Burst) / watch.Elapsed.TotalSeconds;
        var ratio = sustained / limit.RequestsPerSecond;
        return
        [
            new($"{service}: {calls} concurrent calls", $"{watch.Elapsed.TotalSeconds:F2} s"),
            new($"{service}: sustained rate after the burst of {limit.Burst}", $"{sustained:F2}/s", $"{limit.RequestsPerSecond}/s ±15%", ratio is > 0.85 and < 1.15),
        ];
    }
}
