using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Collects a project's daily consumption into the <see cref="IUsageLedger"/> once per UTC day: one GetMetricData
/// (<see cref="ProjectUsageQuery"/>) from the day of the last collection (its figures were partial then) or, the first time,
/// from the start of the month, always at least from yesterday (so the day just ended settles) and at most
/// <see cref="MaxBackfillDays"/> back, up to now. Whether a project is due is kept in memory after the first look at the store,
/// so the passes in between cost neither a CloudWatch call nor a query. With a CDN, the same days are read from the
/// distribution's standard access logs in the project's log bucket (CloudFront's CloudWatch metrics exist only in us-east-1,
/// which EU residency forbids), reaching at least <see cref="CdnRereadDays"/> days back (<see cref="CdnFrom"/>) because
/// CloudFront delivers some files late: every log file delivered on each of those days is listed and read through the project
/// account's regional S3 client, requests and <c>sc-bytes</c> are summed per UTC day of the requests, and each of those days'
/// totals replaces the stored one (recomputed from all its files, never added to: a file read by several collections is
/// counted once). Malformed lines are skipped, counted in the answer and logged.
/// </summary>
public sealed partial class DailyUsageCollector(IUsageLedger ledger, ILogger<DailyUsageCollector> logger) : IUsageCollector
{
    /// <summary>How far back a collection reaches after a long pause (the store leaves settled days alone anyway).</summary>
    public const int MaxBackfillDays = 31;

    /// <summary>
    /// How many days before today every collection reads the access logs again: collections run once per UTC day (the first pass
    /// after midnight), so a file delivered up to two whole days after its requests' day (CloudFront delivers most within an hour,
    /// some up to a day late) is in the bucket by the collection three days later, which still recomputes that day.
    /// </summary>
    public const int CdnRereadDays = 3;

    private readonly ConcurrentDictionary<(string Namespace, string Project), DateOnly> _collectedOn = new();

    public Task<string> CollectAsync(
        UsageOwner owner, ICloudWatchClient cloudWatch, UsageResources resources, DateTimeOffset now, CancellationToken cancellationToken) =>
        CollectAsync(owner, cloudWatch, null, resources, now, cancellationToken);

    public async Task<string> CollectAsync(
        UsageOwner owner, ICloudWatchClient cloudWatch, IS3Client? logs, UsageResources resources, DateTimeOffset now, CancellationToken cancellationToken)
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

        var cdn = logs is null ? null : resources.Cdn;
        if (resources.Functions.Count == 0 && resources.Bucket is null && resources.DatabaseCluster is null && cdn is null)
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
            var queries = ProjectUsageQuery.Build(resources.Functions, resources.Bucket, resources.DatabaseCluster);
            var response = queries.Count == 0
                ? new GetMetricDataResponse() // only CDN logs to read: CloudWatch refuses a request without queries
                : await cloudWatch.GetMetricDataAsync(
                    new GetMetricDataRequest { MetricDataQueries = queries, StartTime = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), EndTime = now },
                    cancellationToken);
            List<UsageFigure> figures = [.. ProjectUsageQuery.Daily(resources.Functions, resources.Bucket, resources.DatabaseCluster, response, now)];
            var skipped = string.Empty;
            if (cdn is not null)
            {
                var cdnFrom = CdnFrom(from, today);
                var tally = await ReadAccessLogsAsync(logs!, cdn, cdnFrom, today, cancellationToken);
                figures.AddRange(CdnFigures(cdn.DistributionId, tally, cdnFrom, today));
                if (tally.Skipped > 0)
                {
                    LogMalformedLines(logger, owner.Namespace, owner.Project, tally.Skipped, cdn.Bucket);
                    skipped = $"; {tally.Skipped} malformed CloudFront log line(s) skipped";
                }
            }

            await ledger.RecordAsync(owner, figures, cancellationToken);
            _collectedOn[key] = today;
            return $"consumption from {from:yyyy-MM-dd} collected ({figures.Count} daily figure(s){skipped})";
        }
        catch (AwsServiceException ex)
        {
            LogCloudWatchFailed(logger, owner.Namespace, owner.Project, ex.Service, ex.ErrorCode);
            return $"consumption not collected: {ex.Service} answered {ex.ErrorCode}";
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogStoreFailed(logger, owner.Namespace, owner.Project, ex.Message);
            return "consumption not collected: the store is unreachable";
        }
    }

    public async Task<IReadOnlyList<UsageFigure>?> PeriodAsync(UsageOwner owner, string period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            return await ledger.PeriodAsync(owner.Namespace, owner.Project, period, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogStoreFailed(logger, owner.Namespace, owner.Project, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The requests of the days <paramref name="from"/> to <paramref name="today"/>: every log file delivered on those days
    /// (<see cref="CloudFrontAccessLogs.DayPrefix"/>, listed page by page), read one after the other.
    /// </summary>
    public static async Task<CloudFrontLogTally> ReadAccessLogsAsync(IS3Client s3, CdnLogLocation cdn, DateOnly from, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(cdn);
        var tally = new CloudFrontLogTally();
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            var prefix = CloudFrontAccessLogs.DayPrefix(cdn.Prefix, cdn.DistributionId, day);
            string? keyMarker = null;
            string? versionMarker = null;
            do
            {
                var page = await s3.ListObjectVersionsAsync(
                    new ListObjectVersionsRequest { BucketName = cdn.Bucket, Prefix = prefix, KeyMarker = keyMarker, VersionIdMarker = versionMarker }, cancellationToken);
                foreach (var file in page.Versions.Where(v => v is { IsLatest: true, IsDeleteMarker: false, Key: not null }))
                {
                    using var body = await s3.GetObjectAsync(new GetObjectRequest { BucketName = cdn.Bucket, Key = file.Key! }, cancellationToken);
                    await CloudFrontAccessLogs.ReadAsync(body.ResponseStream, tally, cancellationToken);
                }

                (keyMarker, versionMarker) = page.IsTruncated ? (page.NextKeyMarker, page.NextVersionIdMarker) : (null, null);
            }
            while (keyMarker is not null);
        }

        return tally;
    }

    /// <summary>The daily CDN figures of <paramref name="tally"/> for the days read, each the whole day's total over every file
    /// delivered from that day on (so it replaces the stored figure). Requests dated before <paramref name="from"/> are not
    /// attributed: their day's files delivered before <paramref name="from"/> were not read, so the total would be partial.</summary>
    public static IEnumerable<UsageFigure> CdnFigures(string distributionId, CloudFrontLogTally tally, DateOnly from, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(tally);
        foreach (var (day, (requests, bytes)) in tally.Days.Where(d => d.Key >= from && d.Key <= today))
        {
            yield return new UsageFigure { Day = day, Kind = "cdn", Resource = distributionId, Metric = UsageMetrics.CdnRequests, Value = requests, Unit = "Count" };
            yield return new UsageFigure { Day = day, Kind = "cdn", Resource = distributionId, Metric = UsageMetrics.CdnBytes, Value = bytes, Unit = "Bytes" };
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

    /// <summary>The first day whose access logs are read: <paramref name="from"/>, but at least <see cref="CdnRereadDays"/> days
    /// before <paramref name="today"/> (late deliveries).</summary>
    public static DateOnly CdnFrom(DateOnly from, DateOnly today) => from < today.AddDays(-CdnRereadDays) ? from : today.AddDays(-CdnRereadDays);

    [LoggerMessage(EventId = 4045, Level = LogLevel.Warning, Message = "Project {Namespace}/{Project}: consumption not collected, {Service} answered {ErrorCode}; the next pass tries again")]
    private static partial void LogCloudWatchFailed(ILogger logger, string @namespace, string project, string service, string errorCode);

    [LoggerMessage(EventId = 4047, Level = LogLevel.Warning, Message = "Project {Namespace}/{Project}: {Skipped} malformed CloudFront access log line(s) in bucket {Bucket} skipped (not counted)")]
    private static partial void LogMalformedLines(ILogger logger, string @namespace, string project, long skipped, string bucket);

    [LoggerMessage(EventId = 4046, Level = LogLevel.Warning, Message = "Project {Namespace}/{Project}: consumption not collected, the store is unreachable ({Error}); the next pass tries again")]
    private static partial void LogStoreFailed(ILogger logger, string @namespace, string project, string error);
}
