using OpenKbs.Aws.CloudWatch.Model;

namespace OpenKbs.Aws.CloudWatch;

/// <summary>
/// Per-function consumption from CloudWatch: <c>AWS/Lambda</c> Invocations (Sum), Errors (Sum) and Duration (Average, ms) per
/// <c>FunctionName</c>. Three queries per function, at most 500 queries per GetMetricData call, so up to 166 functions per call.
/// </summary>
public static class LambdaUsageQuery
{
    /// <summary>GetMetricData's limit on queries per call.</summary>
    public const int MaxQueriesPerCall = 500;

    /// <summary>The queries for <paramref name="functionNames"/>: ids <c>inv{i}</c>, <c>err{i}</c>, <c>dur{i}</c> by position.</summary>
    /// <param name="functionNames">Function names (at most 166).</param>
    /// <param name="periodSeconds">The period of each data point, a multiple of 60.</param>
    public static IReadOnlyList<MetricDataQuery> Build(IReadOnlyList<string> functionNames, int periodSeconds)
    {
        ArgumentNullException.ThrowIfNull(functionNames);
        if (periodSeconds <= 0 || periodSeconds % 60 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(periodSeconds), periodSeconds, "The period must be a positive multiple of 60 seconds.");
        }

        if (functionNames.Count * 3 > MaxQueriesPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(functionNames), functionNames.Count, "At most 166 functions per GetMetricData call.");
        }

        var queries = new List<MetricDataQuery>(functionNames.Count * 3);
        for (var i = 0; i < functionNames.Count; i++)
        {
            queries.Add(Query($"inv{i}", functionNames[i], "Invocations", "Sum", periodSeconds));
            queries.Add(Query($"err{i}", functionNames[i], "Errors", "Sum", periodSeconds));
            queries.Add(Query($"dur{i}", functionNames[i], "Duration", "Average", periodSeconds));
        }

        return queries;
    }

    /// <summary>Sums the answer of <see cref="Build"/> per function: total invocations and errors, and the invocation-weighted mean duration.</summary>
    public static IReadOnlyDictionary<string, LambdaUsage> Summarize(IReadOnlyList<string> functionNames, GetMetricDataResponse response)
    {
        ArgumentNullException.ThrowIfNull(functionNames);
        ArgumentNullException.ThrowIfNull(response);
        var byId = response.MetricDataResults.Where(r => r.Id is not null).ToDictionary(r => r.Id!, StringComparer.Ordinal);
        var usage = new Dictionary<string, LambdaUsage>(StringComparer.Ordinal);
        for (var i = 0; i < functionNames.Count; i++)
        {
            var invocations = byId.GetValueOrDefault($"inv{i}");
            var errors = byId.GetValueOrDefault($"err{i}");
            var duration = byId.GetValueOrDefault($"dur{i}");
            usage[functionNames[i]] = new LambdaUsage
            {
                Invocations = invocations?.Values.Sum() ?? 0,
                Errors = errors?.Values.Sum() ?? 0,
                AverageDurationMs = WeightedMean(duration, invocations),
                Partial = new[] { invocations, errors, duration }.Any(r => r is not null && r.StatusCode is not null and not "Complete"),
            };
        }

        return usage;
    }

    private static double? WeightedMean(MetricDataResult? duration, MetricDataResult? invocations)
    {
        if (duration is null || duration.Values.Count == 0)
        {
            return null;
        }

        var weights = new Dictionary<DateTimeOffset, double>();
        if (invocations is not null)
        {
            for (var i = 0; i < Math.Min(invocations.Timestamps.Count, invocations.Values.Count); i++)
            {
                weights[invocations.Timestamps[i]] = invocations.Values[i];
            }
        }

        double sum = 0, total = 0;
        for (var i = 0; i < Math.Min(duration.Timestamps.Count, duration.Values.Count); i++)
        {
            var weight = weights.TryGetValue(duration.Timestamps[i], out var w) && w > 0 ? w : 1;
            sum += duration.Values[i] * weight;
            total += weight;
        }

        return total == 0 ? null : sum / total;
    }

    private static MetricDataQuery Query(string id, string functionName, string metric, string stat, int period) => new()
    {
        Id = id,
        Label = $"{functionName} {metric}",
        ReturnData = true,
        MetricStat = new MetricStat
        {
            Metric = new Metric { Namespace = "AWS/Lambda", MetricName = metric, Dimensions = [new Dimension { Name = "FunctionName", Value = functionName }] },
            Period = period,
            Stat = stat,
        },
    };
}
