using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Aws.Tests.Support;

namespace OpenKbs.Aws.Tests.Pipeline;

/// <summary>Every list operation follows its service's token to the last page (answers canned: moto does not paginate these).</summary>
public sealed class MemberPagingTests
{
    [Fact]
    public async Task Lambda_follows_NextMarker()
    {
        using var aws = new CannedAws((request, _) => CannedAws.Json(request.RequestUri!.Query.Contains("Marker=m1", StringComparison.Ordinal)
            ? """{"Functions":[{"FunctionName":"b"}]}"""
            : """{"Functions":[{"FunctionName":"a"}],"NextMarker":"m1"}"""));
        var all = await aws.Clients.Lambda.ListFunctionsAsync(new ListFunctionsRequest { MaxItems = 1 });
        Assert.Equal(["a", "b"], all.Functions.Select(f => f.FunctionName));
        Assert.Equal(["/2015-03-31/functions?MaxItems=1", "/2015-03-31/functions?Marker=m1&MaxItems=1"], aws.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Scheduler_follows_NextToken()
    {
        using var aws = new CannedAws((request, _) => CannedAws.Json(request.RequestUri!.Query.Contains("NextToken=t1", StringComparison.Ordinal)
            ? """{"Schedules":[{"Name":"b"}]}"""
            : """{"Schedules":[{"Name":"a"}],"NextToken":"t1"}"""));
        var all = await aws.Clients.Scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = "shop" });
        Assert.Equal(["a", "b"], all.Schedules.Select(s => s.Name));
        Assert.All(aws.Requests, r => Assert.Contains("ScheduleGroup=shop", r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rds_follows_Marker()
    {
        using var aws = new CannedAws((_, body) => CannedAws.Xml(body.Contains("Marker=m1", StringComparison.Ordinal)
            ? "<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>b</DBClusterIdentifier></DBCluster></DBClusters></DescribeDBClustersResult></DescribeDBClustersResponse>"
            : "<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>a</DBClusterIdentifier></DBCluster></DBClusters><Marker>m1</Marker></DescribeDBClustersResult></DescribeDBClustersResponse>"));
        var all = await aws.Clients.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { MaxRecords = 20 });
        Assert.Equal(["a", "b"], all.DBClusters.Select(c => c.DBClusterIdentifier));
    }

    [Fact]
    public async Task CloudFront_follows_NextMarker_while_truncated()
    {
        using var aws = new CannedAws((request, _) => CannedAws.Xml(request.RequestUri!.Query.Contains("Marker=m1", StringComparison.Ordinal)
            ? "<DistributionList><Marker>m1</Marker><IsTruncated>false</IsTruncated><Quantity>1</Quantity><Items><DistributionSummary><Id>B</Id></DistributionSummary></Items></DistributionList>"
            : "<DistributionList><Marker></Marker><NextMarker>m1</NextMarker><IsTruncated>true</IsTruncated><Quantity>1</Quantity><Items><DistributionSummary><Id>A</Id></DistributionSummary></Items></DistributionList>"));
        var all = await aws.Clients.CloudFront.ListDistributionsAsync(new ListDistributionsRequest { MaxItems = 1 });
        Assert.Equal(["A", "B"], all.DistributionList!.Items!.Select(d => d.Id));
        Assert.Equal(2, all.DistributionList.Quantity);
    }

    [Fact]
    public async Task CloudWatch_merges_pages_and_a_repeated_token_stops_with_PaginationLoop()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        using var aws = new CannedAws((_, body) => CannedAws.Json(body.Contains("\"NextToken\":\"t1\"", StringComparison.Ordinal)
            ? """{"MetricDataResults":[{"Id":"inv0","Timestamps":[1800000300],"Values":[5],"StatusCode":"Complete"}]}"""
            : """{"MetricDataResults":[{"Id":"inv0","Timestamps":[1800000000],"Values":[2],"StatusCode":"PartialData"}],"NextToken":"t1"}"""));
        var response = await aws.Clients.CloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            MetricDataQueries = LambdaUsageQuery.Build(["shop-api"], 300),
            StartTime = start,
            EndTime = start.AddHours(1),
        });
        var invocations = Assert.Single(response.MetricDataResults);
        Assert.Equal([2d, 5d], invocations.Values);
        Assert.Equal([start, start.AddMinutes(5)], invocations.Timestamps);
        Assert.Equal("Complete", invocations.StatusCode);

        using var looping = new CannedAws((_, _) => CannedAws.Json("""{"MetricDataResults":[],"NextToken":"same"}"""));
        var loop = await Assert.ThrowsAsync<AwsServiceException>(() => looping.Clients.CloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            MetricDataQueries = LambdaUsageQuery.Build(["shop-api"], 300),
            StartTime = start,
            EndTime = start.AddHours(1),
        }));
        Assert.Equal("PaginationLoop", loop.ErrorCode);
    }
}
