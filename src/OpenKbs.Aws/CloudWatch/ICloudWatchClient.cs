using OpenKbs.Aws.CloudWatch.Model;

namespace OpenKbs.Aws.CloudWatch;

/// <summary>
/// CloudWatch metrics (awsJson1_0, regional, 2010-08-01; the JSON form of the service's three wire formats, docs/aws.md). Names and
/// shapes follow the official AWSSDK.CloudWatch client. <see cref="LambdaUsageQuery"/> builds the per-function consumption queries.
/// </summary>
public interface ICloudWatchClient
{
    /// <summary>Metric data for up to 500 queries, every page merged per query id.</summary>
    Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken = default);
}
