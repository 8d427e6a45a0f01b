using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.CloudWatch;

/// <summary>A project's daily consumption (functions, bucket bytes, Aurora ACU-hours) in one GetMetricData call against moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class ProjectUsageQueryTests(MotoServerFixture moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Daily_figures_per_function_bucket_and_database_come_from_one_call()
    {
        var day2 = Day1.AddDays(1);
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", Day1.AddHours(9), 10);
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", Day1.AddHours(15), 30);
        await PutAsync("AWS/Lambda", "Errors", "FunctionName=shop-api", Day1.AddHours(9), 2);
        await PutAsync("AWS/Lambda", "Duration", "FunctionName=shop-api", Day1.AddHours(9), 100);
        await PutAsync("AWS/Lambda", "Duration", "FunctionName=shop-api", Day1.AddHours(15), 300);
        await PutAsync("AWS/Lambda", "Invocations", "FunctionName=shop-api", day2.AddHours(1), 5);
        await PutAsync("AWS/Lambda", "Duration", "FunctionName=shop-api", day2.AddHours(1), 40);
        await PutAsync("AWS/S3", "BucketSizeBytes", "BucketName=okbs-shop,StorageType=StandardStorage", Day1.AddHours(23), 1_000_000);
        await PutAsync("AWS/S3", "BucketSizeBytes", "BucketName=okbs-shop,StorageType=StandardStorage", day2.AddHours(6), 1_500_000);
        await PutAsync("AWS/S3", "BucketSizeBytes", "BucketName=okbs-shop,StorageType=GlacierStorage", day2.AddHours(6), 9_999_999);
        await PutAsync("AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier=okbs-shop-db", Day1.AddHours(1), 0.5);
        await PutAsync("AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier=okbs-shop-db", Day1.AddHours(2), 1.5);
        await PutAsync("AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier=okbs-shop-db", day2.AddHours(3), 2);

        using var host = new AwsTestHost(moto);
        var now = day2.AddHours(12);
        var response = await Members.In(host).CloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            MetricDataQueries = ProjectUsageQuery.Build(["shop-api", "shop-idle"], "okbs-shop", "okbs-shop-db"),
            StartTime = Day1.AddDays(-1),
            EndTime = now,
        });
        var figures = ProjectUsageQuery.Daily(["shop-api", "shop-idle"], "okbs-shop", "okbs-shop-db", response, now)
            .ToDictionary(f => $"{f.Day:MM-dd} {f.Resource} {f.Metric}", f => f.Value);

        Assert.Equal(40, figures["11-02 shop-api invocations"]);
        Assert.Equal(2, figures["11-02 shop-api errors"]);
        Assert.Equal(8_000, figures["11-02 shop-api durationMs"]); // mean 200 ms x 40 (moto averages the raw points)
        Assert.Equal(5, figures["11-03 shop-api invocations"]);
        Assert.Equal(200, figures["11-03 shop-api durationMs"]);
        Assert.Equal(1_000_000, figures["11-02 okbs-shop storageBytes"]);
        Assert.Equal(1_500_000, figures["11-03 okbs-shop storageBytes"]); // Glacier is another storage type
        Assert.Equal(24, figures["11-02 okbs-shop-db acuHours"]); // mean 1 ACU x 24 h
        Assert.Equal(24, figures["11-03 okbs-shop-db acuHours"]); // mean 2 ACU x the 12 h up to now
        Assert.DoesNotContain(figures.Keys, k => k.Contains("shop-idle", StringComparison.Ordinal));
        Assert.Equal(10, figures.Count);
        Assert.Empty(host.Audit.Records); // reads only
    }

    [Fact]
    public void Without_a_bucket_or_database_only_the_functions_are_queried()
    {
        var queries = ProjectUsageQuery.Build(["a"], null, null);

        Assert.Equal(["inv0", "err0", "dur0"], queries.Select(q => q.Id));
        Assert.All(queries, q => Assert.Equal(ProjectUsageQuery.DayPeriod, q.MetricStat!.Period));
        Assert.Equal(12, ProjectUsageQuery.HoursCovered(new DateOnly(2026, 11, 3), new DateTimeOffset(2026, 11, 3, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(24, ProjectUsageQuery.HoursCovered(new DateOnly(2026, 11, 1), new DateTimeOffset(2026, 11, 3, 12, 0, 0, TimeSpan.Zero)));
    }

    private Task PutAsync(string @namespace, string metric, string dimensions, DateTimeOffset at, double value) =>
        AwsCli.PutMetricDataAsync(moto.Endpoint, @namespace, metric, dimensions, at, value);
}
