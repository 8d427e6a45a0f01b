using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Core;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Collects a project's daily consumption into the <see cref="IUsageLedger"/> once per UTC day: one GetMetricData
/// (<see cref="ProjectUsageQuery"/>) from the day of the last collection (its figures were partial then) or, the first time,
/// from the start of the month, always at least from yesterday (so the day just ended settles) and at most
/// <see cref="MaxBackfillDays"/> back, up to now. Whether a project is due is kept in memory after the first look at the store,
/// so the passes in between cost neither a CloudWatch call nor a query.
/// </summary>
public sealed partial class DailyUsageCollector(IUsageLedger ledger, ILogger<DailyUsageCollector> logger) : IUsageCollector
{
    /// <summary>How far back a collection reaches after a long pause (the store leaves settled days alone anyway).</summary>
    public const int MaxBackfillDays = 31;

    private readonly ConcurrentDictionary<(string Namespace, string Project), DateOnly> _collectedOn = new();

    public async Task<string> CollectAsync(
        UsageOwner owner, ICloudWatchClient cloudWatch, UsageResources resources, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(cloudWatch);
        ArgumentNullException.ThrowIfNull(resources);
        var key = (owner.Namespace, owner.Project);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_collectedOn.TryGetValue(key, out var known) && known >= today)
        {
            return $"consumption of {today:yyyy-MM-dd} already collected";
        }

        if (resources.Functions.Count == 0 && resources.Bucket is null && resources.DatabaseCluster is null)
        {
            return "nothing to collect";
        }

        try
        {
            var last = await ledger.LastCollectedAsync(owner.Namespace, owner.Project, cancellationToken);
            if (last is { } at && DateOnly.FromDateTime(at.UtcDateTime) >= today)
            {
                _collectedOn[key] = today;
                return $"consumption of {today:yyyy-MM-dd} already collected";
            }

            var from = From(last, now);
            var response = await cloudWatch.GetMetricDataAsync(
                new GetMetricDataRequest
                {
                    MetricDataQueries = ProjectUsageQuery.Build(resources.Functions, resources.Bucket, resources.DatabaseCluster),
                    StartTime = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    EndTime = now,
                },
                cancellationToken);
            var figures = ProjectUsageQuery.Daily(resources.Functions, resources.Bucket, resources.DatabaseCluster, response, now);
            await ledger.RecordAsync(owner, figures, cancellationToken);
            _collectedOn[key] = today;
            return $"consumption from {from:yyyy-MM-dd} collected ({figures.Count} daily figure(s))";
        }
        catch (AwsServiceException ex)
        {
            LogCloudWatchFailed(logger, owner.Namespace, owner.Project, ex.ErrorCode);
            return $"consumption not collected: CloudWatch answered {ex.ErrorCode}";
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogStoreFailed(logger, owner.Namespace, owner.Project, ex.Message);
            return "consumption not collected: the store is unreachable";
        }
    }

    /// <summary>The first day to read: see the class summary.</summary>
    public static DateOnly From(DateTimeOffset? lastCollected, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = lastCollected is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : new DateOnly(today.Year, today.Month, 1);
        from = from < today.AddDays(-1) ? from : today.AddDays(-1);
        return from > today.AddDays(-MaxBackfillDays) ? from : today.AddDays(-MaxBackfillDays);
    }

    [LoggerMessage(EventId = 4045, Level = LogLevel.Warning, Message = "Project {Namespace}/{Project}: consumption not collected, CloudWatch answered {ErrorCode}; the next pass tries again")]
    private static partial void LogCloudWatchFailed(ILogger logger, string @namespace, string project, string errorCode);

    [LoggerMessage(EventId = 4046, Level = LogLevel.Warning, Message = "Project {Namespace}/{Project}: consumption not collected, the store is unreachable ({Error}); the next pass tries again")]
    private static partial void LogStoreFailed(ILogger logger, string @namespace, string project, string error);
}
