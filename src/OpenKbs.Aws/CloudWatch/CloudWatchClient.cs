using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.CloudWatch;

/// <summary>The hand-written CloudWatch client (awsJson1_0 over the shared pipeline; moto 5.2.1 serves JSON and Query, not CBOR).</summary>
internal sealed class CloudWatchClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), ICloudWatchClient
{
    private static readonly AwsService Service = AwsServices.CloudWatch;

    internal static readonly AwsOperation GetMetricData = AwsOperation.Read(Service, nameof(GetMetricData));

    public async Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pages = await AwsPagination.CollectAsync(
            Service.SigningName,
            GetMetricData.Name,
            async token => new[] { await JsonAsync<GetMetricDataResponse>(GetMetricData, request with { NextToken = token }, null, cancellationToken) },
            page => page,
            page => page[0].NextToken);
        return Merge(pages);
    }

    /// <summary>Concatenates each query's points across pages (in page order); the status of a query is that of its last page.</summary>
    internal static GetMetricDataResponse Merge(IReadOnlyList<GetMetricDataResponse> pages)
    {
        var order = new List<string>();
        var merged = new Dictionary<string, (MetricDataResult First, List<DateTimeOffset> Timestamps, List<double> Values, string? Status, List<MessageData> Messages)>(StringComparer.Ordinal);
        var messages = new List<MessageData>();
        foreach (var page in pages)
        {
            messages.AddRange(page.Messages ?? []);
            foreach (var result in page.MetricDataResults)
            {
                var id = result.Id ?? string.Empty;
                if (!merged.TryGetValue(id, out var entry))
                {
                    entry = (result, [], [], result.StatusCode, []);
                    order.Add(id);
                }

                entry.Timestamps.AddRange(result.Timestamps);
                entry.Values.AddRange(result.Values);
                entry.Messages.AddRange(result.Messages ?? []);
                merged[id] = entry with { Status = result.StatusCode ?? entry.Status };
            }
        }

        return new GetMetricDataResponse
        {
            MetricDataResults =
            [
                .. order.Select(id => merged[id]).Select(e => e.First with
                {
                    Timestamps = e.Timestamps,
                    Values = e.Values,
                    StatusCode = e.Status,
                    Messages = e.Messages.Count == 0 ? null : e.Messages,
                }),
            ],
            Messages = messages.Count == 0 ? null : messages,
        };
    }
}
