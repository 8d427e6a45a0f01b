using System.Globalization;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.CloudWatch;

[Collection(MotoCollection.Name)]
public sealed class CloudWatchClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lambda_usage_per_function_comes_from_GetMetricData_and_matches_the_JS_SDK()
    {
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-10);
        await PutAsync("Invocations", "shop-api", at, 3);
        await PutAsync("Invocations", "shop-api", at.AddSeconds(10), 4);
        await PutAsync("Errors", "shop-api", at, 1);
        await PutAsync("Duration", "shop-api", at, 100);
        await PutAsync("Duration", "shop-api", at.AddSeconds(10), 200);

        using var host = new AwsTestHost(moto);
        var cloudWatch = Members.In(host).CloudWatch;
        string[] functions = ["shop-api", "shop-idle"];
        var request = new GetMetricDataRequest
        {
            MetricDataQueries = LambdaUsageQuery.Build(functions, 3600),
            StartTime = at.AddHours(-1),
            EndTime = at.AddHours(1),
        };
        var response = await cloudWatch.GetMetricDataAsync(request);
        Assert.Equal(6, response.MetricDataResults.Count);
        var usage = LambdaUsageQuery.Summarize(functions, response);
        Assert.Equal(7, usage["shop-api"].Invocations);
        Assert.Equal(1, usage["shop-api"].Errors);
        Assert.Equal(150, usage["shop-api"].AverageDurationMs);
        Assert.False(usage["shop-api"].Partial);
        Assert.Equal(0, usage["shop-idle"].Invocations);
        Assert.Null(usage["shop-idle"].AverageDurationMs);
        Assert.Empty(host.Audit.Records); // reads only

        var ours = Assert.Single(host.Counter.Sent, s => s.Operation == "GetMetricData").Request;
        Assert.Equal("GraniteServiceVersion20100801.GetMetricData", ours.Target);
        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("cloudwatch", "GetMetricData", new
            {
                MetricDataQueries = request.MetricDataQueries.Select(q => new
                {
                    q.Id,
                    q.Label,
                    q.ReturnData,
                    MetricStat = new
                    {
                        Metric = new { q.MetricStat!.Metric!.Namespace, q.MetricStat.Metric.MetricName, Dimensions = q.MetricStat.Metric.Dimensions!.Select(d => new { d.Name, d.Value }) },
                        q.MetricStat.Period,
                        q.MetricStat.Stat,
                    },
                }),
                StartTime = JsSdk.Date(request.StartTime),
                EndTime = JsSdk.Date(request.EndTime),
            }),
        ]);
        var theirs = js[0].EnsureOk();
        Assert.Equal(theirs.Request!.Target, ours.Target);
        Assert.Equal(theirs.Request.ContentType, ours.ContentType);
        WireAssert.SameJson(theirs.Request.Body, ours.Body);
        Assert.Equal(7, theirs.Get("MetricDataResults").EnumerateArray().First(r => r.GetProperty("Id").GetString() == "inv0").GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble()));
    }

    [Fact]
    public void Pages_are_merged_per_query_and_partial_data_is_reported()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        GetMetricDataResponse[] pages =
        [
            new()
            {
                MetricDataResults =
                [
                    new MetricDataResult { Id = "inv0", Timestamps = [t0], Values = [2], StatusCode = "PartialData" },
                    new MetricDataResult { Id = "dur0", Timestamps = [t0], Values = [10], StatusCode = "PartialData" },
                ],
                NextToken = "next",
            },
            new()
            {
                MetricDataResults =
                [
                    new MetricDataResult { Id = "inv0", Timestamps = [t0.AddMinutes(5)], Values = [6], StatusCode = "Complete" },
                    new MetricDataResult { Id = "dur0", Timestamps = [t0.AddMinutes(5)], Values = [30], StatusCode = "Complete" },
                ],
            },
        ];
        var merged = CloudWatchClient.Merge(pages);
        var invocations = Assert.Single(merged.MetricDataResults, r => r.Id == "inv0");
        Assert.Equal([2d, 6d], invocations.Values);
        Assert.Equal("Complete", invocations.StatusCode);
        var usage = LambdaUsageQuery.Summarize(["f"], merged)["f"];
        Assert.Equal(8, usage.Invocations);
        Assert.Equal(25, usage.AverageDurationMs); // (10*2 + 30*6) / 8
        Assert.False(usage.Partial);

        var partial = LambdaUsageQuery.Summarize(["f"], CloudWatchClient.Merge([pages[0]]))["f"];
        Assert.True(partial.Partial);
    }

    public static TheoryData<int, int> BadPeriods => new() { { 0, 1 }, { 90, 1 }, { 60, 167 } };

    [Theory]
    [MemberData(nameof(BadPeriods))]
    public void Query_limits_are_checked_before_calling(int period, int functions) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LambdaUsageQuery.Build([.. Enumerable.Range(0, functions).Select(i => "f" + i)], period));

    private Task PutAsync(string metric, string function, DateTimeOffset at, double value) =>
        AwsCli.RunAsync(
            moto.Endpoint,
            "cloudwatch", "put-metric-data", "--region", "eu-central-1", "--namespace", "AWS/Lambda", "--metric-name", metric,
            "--dimensions", $"FunctionName={function}", "--timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "--value", value.ToString(CultureInfo.InvariantCulture));
}
