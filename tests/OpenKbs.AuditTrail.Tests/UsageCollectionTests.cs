using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Testing.Moto;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// The daily collection through the operator's real wiring (AuditStore configured, member-account CloudWatch client against
/// moto, PostgreSQL 15): one GetMetricData per project per UTC day, the figures in the store, the day just ended settled the
/// next day, nothing sent again the same day (not even after a restart).
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class UsageCollectionTests(AuditStoreFixture store, MotoServerFixture moto) : IAsyncLifetime
{
    private const string Account = "123456789012";
    private static readonly AwsActor Actor = new() { Controller = "Project", Namespace = "tenant-a", Kind = "Project", Name = "shop", Uid = "uid-shop" };
    private static readonly UsageOwner Shop = new("tenant-a", "shop", Account);
    private static readonly UsageResources Resources = new(["shop-api"], "okbs-shop", "okbs-shop-db");

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_call_per_project_and_day_fills_the_store_and_the_next_day_settles_the_last()
    {
        var options = await store.NewStoreAsync();
        var sent = 0;
        await using var services = await ServicesAsync(options, () => Interlocked.Increment(ref sent));
        var collector = services.GetRequiredService<IUsageCollector>();
        var cloudWatch = CloudWatch(services);
        var now = DateTimeOffset.UtcNow;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", today.AddDays(-1).AddHours(9), 10);
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", today.AddSeconds(1), 3);
        await PutAsync("AWS/S3", "BucketSizeBytes", "BucketName=okbs-shop,StorageType=StandardStorage", today.AddDays(-1).AddHours(23), 2_048);
        await PutAsync("AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier=okbs-shop-db", today.AddDays(-1).AddHours(2), 0.5);
        var beforeCollection = sent;

        var first = await collector.CollectAsync(Shop, cloudWatch, Resources, now, CancellationToken.None);

        Assert.StartsWith("consumption from ", first, StringComparison.Ordinal);
        Assert.InRange(sent - beforeCollection, 1, 2); // the GetMetricData (and the session's AssumeRole)
        var figures = await FiguresAsync(options);
        Assert.Equal(10, figures[$"{today.AddDays(-1):yyyy-MM-dd} shop-api invocations"]);
        Assert.Equal(3, figures[$"{today:yyyy-MM-dd} shop-api invocations"]);
        Assert.Equal(2_048, figures[$"{today.AddDays(-1):yyyy-MM-dd} okbs-shop storageBytes"]);
        Assert.Equal(12, figures[$"{today.AddDays(-1):yyyy-MM-dd} okbs-shop-db acuHours"]); // 0.5 ACU x 24 h

        // The same day: nothing sent, neither by this collector nor by a new one (a restarted operator asks the store).
        var sentAfterFirst = sent;
        Assert.Contains("already collected", await collector.CollectAsync(Shop, cloudWatch, Resources, now.AddMinutes(5), CancellationToken.None), StringComparison.Ordinal);
        var restarted = new DailyUsageCollector(services.GetRequiredService<IUsageLedger>(), NullLogger<DailyUsageCollector>.Instance);
        Assert.Contains("already collected", await restarted.CollectAsync(Shop, cloudWatch, Resources, now.AddMinutes(5), CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(sentAfterFirst, sent);

        // The next day: today's partial figure is read again and replaced by the full day's.
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", today.AddHours(23), 4);
        var next = await collector.CollectAsync(Shop, cloudWatch, Resources, today.AddDays(1).AddHours(1), CancellationToken.None);

        Assert.Equal($"consumption from {today:yyyy-MM-dd} collected (3 daily figure(s))", next); // today's three function figures (the bucket and the database reported only yesterday)
        Assert.Equal(1, sent - sentAfterFirst); // one GetMetricData (the session is cached)
        Assert.Equal(7, (await FiguresAsync(options))[$"{today:yyyy-MM-dd} shop-api invocations"]);
    }

    [Fact]
    public async Task With_the_store_down_nothing_is_asked_of_CloudWatch_and_the_next_pass_collects()
    {
        var options = await store.NewStoreAsync();
        var sent = 0;
        await using var services = await ServicesAsync(options, () => Interlocked.Increment(ref sent));
        var collector = services.GetRequiredService<IUsageCollector>();
        var cloudWatch = CloudWatch(services);
        var now = DateTimeOffset.UtcNow;
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", now.AddMinutes(-1), 1);

        await store.Server.StopAsync();
        string refused;
        try
        {
            refused = await collector.CollectAsync(Shop, cloudWatch, Resources, now, CancellationToken.None);
        }
        finally
        {
            await store.Server.StartAsync();
        }

        Assert.Equal("consumption not collected: the store is unreachable", refused);
        Assert.Equal(0, sent);
        Assert.StartsWith("consumption from ", await collector.CollectAsync(Shop, cloudWatch, Resources, now, CancellationToken.None), StringComparison.Ordinal);
        Assert.NotEmpty(await FiguresAsync(options));
    }

    [Theory]
    [InlineData("2026-12-05T10:00:00Z", null, "2026-12-01")] // first collection: the month so far
    [InlineData("2026-12-01T00:30:00Z", null, "2026-11-30")] // ... but always at least yesterday
    [InlineData("2026-12-05T10:00:00Z", "2026-12-04T10:00:00Z", "2026-12-04")] // the day of the last collection
    [InlineData("2026-12-05T10:00:00Z", "2026-12-05T01:00:00Z", "2026-12-04")]
    [InlineData("2026-12-05T10:00:00Z", "2026-08-01T00:00:00Z", "2026-11-04")] // a long pause: 31 days back at most
    public void Collection_starts_where_the_last_one_left_off(string now, string? last, string from) =>
        Assert.Equal(DateOnly.Parse(from, CultureInfo.InvariantCulture), DailyUsageCollector.From(
            last is null ? null : DateTimeOffset.Parse(last, CultureInfo.InvariantCulture), DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));

    /// <summary>The operator's wiring with the store migrated; <paramref name="onSend"/> runs for each request to AWS.</summary>
    private async Task<ServiceProvider> ServicesAsync(AuditStoreOptions options, Action onSend)
    {
        var services = AuditStoreFixture.Services(options, moto.Endpoint, new PipelineTests.Probe(onSend));
        await services.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        return services;
    }

    /// <summary>The project's member-account CloudWatch client, as the operator's Project steps get it.</summary>
    private static ICloudWatchClient CloudWatch(ServiceProvider services) =>
        services.GetRequiredService<IAwsClientFactory>().ForAccount(Account, "OrganizationAccountAccessRole", "eu-central-1", Actor).CloudWatch;

    private static async Task<Dictionary<string, double>> FiguresAsync(AuditStoreOptions options)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        foreach (var period in new[] { now.AddMonths(-1), now, now.AddDays(1) }.Select(d => d.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Distinct())
        {
            foreach (var (_, _, _, figure) in await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", period, CancellationToken.None))
            {
                figures[$"{figure.Day:yyyy-MM-dd} {figure.Resource} {figure.Metric}"] = figure.Value;
            }
        }

        return figures;
    }

    private Task PutAsync(string @namespace, string metric, string dimensions, DateTimeOffset at, double value) =>
        AwsCli.PutMetricDataAsync(moto.Endpoint, @namespace, metric, dimensions, at, value);
}
