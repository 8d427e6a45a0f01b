using OpenKbs.Aws.CloudWatch.Model;

namespace OpenKbs.Aws.CloudWatch;

/// <summary>
/// A project's consumption in one GetMetricData call, one data point per UTC day: the functions' figures
/// (<see cref="LambdaUsageQuery"/>), the bucket's <c>AWS/S3 BucketSizeBytes</c> (StandardStorage, Average) and the database
/// cluster's <c>AWS/RDS ServerlessDatabaseCapacity</c> (Average). CloudFront's metrics exist only in CloudWatch us-east-1,
/// which the EU region guard refuses; they are not read here.
/// </summary>
public static class ProjectUsageQuery
{
    /// <summary>One data point per day.</summary>
    public const int DayPeriod = 86_400;

    private const string BucketId = "s3bytes";
    private const string DatabaseId = "acu";

    /// <summary>The queries: the functions' (ids by position, see <see cref="LambdaUsageQuery.Build"/>), then the bucket's and the cluster's when given.</summary>
    public static IReadOnlyList<MetricDataQuery> Build(IReadOnlyList<string> functionNames, string? bucket, string? databaseCluster)
    {
        var queries = LambdaUsageQuery.Build(functionNames, DayPeriod).ToList();
        if (bucket is not null)
        {
            queries.Add(Query(BucketId, "AWS/S3", "BucketSizeBytes", "Average", [new Dimension { Name = "BucketName", Value = bucket }, new Dimension { Name = "StorageType", Value = "StandardStorage" }]));
        }

        if (databaseCluster is not null)
        {
            queries.Add(Query(DatabaseId, "AWS/RDS", "ServerlessDatabaseCapacity", "Average", [new Dimension { Name = "DBClusterIdentifier", Value = databaseCluster }]));
        }

        return queries;
    }

    /// <summary>
    /// The daily figures of an answer to <see cref="Build"/> (days without data are left out). A function's run time of a
    /// day is its mean duration times its invocations; a day's ACU-hours are its mean capacity times the hours of the day up to
    /// <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<UsageFigure> Daily(
        IReadOnlyList<string> functionNames, string? bucket, string? databaseCluster, GetMetricDataResponse response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(functionNames);
        ArgumentNullException.ThrowIfNull(response);
        var byId = response.MetricDataResults.Where(r => r.Id is not null).ToDictionary(r => r.Id!, StringComparer.Ordinal);
        var figures = new List<UsageFigure>();
        for (var i = 0; i < functionNames.Count; i++)
        {
            var invocations = Points(byId.GetValueOrDefault($"inv{i}"));
            var errors = Points(byId.GetValueOrDefault($"err{i}"));
            var duration = Points(byId.GetValueOrDefault($"dur{i}"));
            foreach (var day in invocations.Keys.Union(errors.Keys).Union(duration.Keys).Order())
            {
                var count = invocations.GetValueOrDefault(day);
                figures.Add(Figure(day, "function", functionNames[i], UsageMetrics.Invocations, count, "Count"));
                figures.Add(Figure(day, "function", functionNames[i], UsageMetrics.Errors, errors.GetValueOrDefault(day), "Count"));
                figures.Add(Figure(day, "function", functionNames[i], UsageMetrics.DurationMs, Math.Round(duration.GetValueOrDefault(day) * count, 3), "Milliseconds"));
            }
        }

        if (bucket is not null)
        {
            figures.AddRange(Points(byId.GetValueOrDefault(BucketId)).OrderBy(p => p.Key)
                .Select(p => Figure(p.Key, "bucket", bucket, UsageMetrics.StorageBytes, Math.Round(p.Value), "Bytes")));
        }

        if (databaseCluster is not null)
        {
            figures.AddRange(Points(byId.GetValueOrDefault(DatabaseId)).OrderBy(p => p.Key)
                .Select(p => Figure(p.Key, "database", databaseCluster, UsageMetrics.AcuHours, Math.Round(p.Value * HoursCovered(p.Key, now), 4), "ACU-hours")));
        }

        return figures;
    }

    /// <summary>Hours of <paramref name="day"/> (UTC) up to <paramref name="now"/>: 24 for a past day.</summary>
    public static double HoursCovered(DateOnly day, DateTimeOffset now)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return Math.Clamp((now - start).TotalHours, 0, 24);
    }

    private static Dictionary<DateOnly, double> Points(MetricDataResult? result)
    {
        var points = new Dictionary<DateOnly, double>();
        if (result is null)
        {
            return points;
        }

        for (var i = 0; i < Math.Min(result.Timestamps.Count, result.Values.Count); i++)
        {
            points[DateOnly.FromDateTime(result.Timestamps[i].UtcDateTime)] = result.Values[i];
        }

        return points;
    }

    private static UsageFigure Figure(DateOnly day, string kind, string resource, string metric, double value, string unit) =>
        new() { Day = day, Kind = kind, Resource = resource, Metric = metric, Value = value, Unit = unit };

    private static MetricDataQuery Query(string id, string @namespace, string metric, string stat, IReadOnlyList<Dimension> dimensions) => new()
    {
        Id = id,
        Label = $"{dimensions[0].Value} {metric}",
        ReturnData = true,
        MetricStat = new MetricStat { Metric = new Metric { Namespace = @namespace, MetricName = metric, Dimensions = dimensions }, Period = DayPeriod, Stat = stat },
    };
}
