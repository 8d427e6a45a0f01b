using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.Projects.Components.Usage;

/// <summary>
/// No condition of its own: per function and period (the calendar month to date, UTC), Invocations (Sum), Errors (Sum) and Duration
/// (invocation-weighted Average) from CloudWatch, all functions in one GetMetricData call (<see cref="LambdaUsageQuery"/>), into
/// <c>status.usage</c>. Refreshed only when <c>status.usage.updatedAt</c> is older than <see cref="ProjectOptions.UsageRefresh"/>
/// (1 h) or the month changed, so a drift check in between costs no call. Reads only; never blocks Ready (a CloudWatch failure
/// keeps the last figures and is logged). With a durable store (<paramref name="collector"/>), first hands the project to the
/// daily collection into it (at most one GetMetricData per project per UTC day, plus the CDN's access logs; docs/usage.md),
/// and with a distribution <c>status.usage.cdn</c> carries the period's CloudFront requests and bytes read back from the store
/// at the same refresh (as of the last daily collection).
/// </summary>
internal sealed partial class UsageStep(ILogger<UsageStep> logger, IUsageCollector? collector = null) : IProjectStep
{
    /// <summary>One data point per day: a month is at most 31 points per query.</summary>
    public const int PeriodSeconds = 86_400;

    public string Name => "usage";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var functions = (context.Spec.Functions ?? []).Select(f => f.Name).ToList();
        var cdn = collector is null ? null : CdnLogs(context);
        var owner = new UsageOwner(context.Key.Namespace, context.Key.Name, context.AccountId);
        if (collector is not null)
        {
            var resources = new UsageResources(
                [.. functions.Select(context.Names.Function)], context.Names.Bucket, context.Spec.Database is { Enabled: true } ? context.Names.DatabaseCluster : null, cdn);
            _ = await collector.CollectAsync(owner, context.Aws.CloudWatch, context.Aws.S3, resources, context.Now, cancellationToken);
        }

        if (functions.Count == 0 && cdn is null)
        {
            context.Status.Usage = null;
            return StepOutcome.Ready("no functions: no consumption to report", Api.ConditionReasons.Disabled);
        }

        var now = context.Now;
        var period = Period(now);
        var usage = context.Status.Usage;
        if (!IsDue(usage, functions, period, now, context.Options.UsageRefresh))
        {
            return StepOutcome.Ready($"consumption of {period} read at {usage!.UpdatedAt:u}");
        }

        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var awsNames = functions.Select(context.Names.Function).ToList();
        var refreshed = new UsageStatus { Period = period, UpdatedAt = now.UtcDateTime, Functions = [] };
        if (functions.Count > 0)
        {
            GetMetricDataResponse response;
            try
            {
                response = await context.Aws.CloudWatch.GetMetricDataAsync(
                    new GetMetricDataRequest { MetricDataQueries = LambdaUsageQuery.Build(awsNames, PeriodSeconds), StartTime = start, EndTime = now },
                    cancellationToken);
            }
            catch (AwsServiceException ex)
            {
                LogUnavailable(logger, context.Key.ToString(), ex.ErrorCode);
                return StepOutcome.Ready($"consumption not refreshed ({ex.ErrorCode}); the last figures are kept");
            }

            refreshed = Summarize(functions, awsNames, response, period, now);
        }

        if (cdn is not null)
        {
            var stored = await collector!.PeriodAsync(owner, period, cancellationToken);
            refreshed.Cdn = stored is null ? (usage?.Period == period ? usage.Cdn : null) : CdnTotals(cdn.DistributionId, stored);
        }

        context.Status.Usage = refreshed;
        return StepOutcome.Ready($"consumption of {period} refreshed for {functions.Count} function(s){(cdn is null ? string.Empty : " and the CDN")}");
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release (reads only)"));

    /// <summary>Where the project's distribution delivers its access logs (<see cref="Cdn.CdnRendering.Logging"/>), or null without one.</summary>
    public static CdnLogLocation? CdnLogs(ProjectContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Status.Cdn?.DistributionId is { } id && Cdn.CdnRendering.LogsDeliverable(context.Region)
            ? new CdnLogLocation(id, context.Names.CdnLogBucket, Cdn.CdnRendering.LogPrefix)
            : null;
    }

    /// <summary>The period's CloudFront requests and bytes of distribution <paramref name="distributionId"/> from the stored daily figures (null: none yet).</summary>
    public static CdnUsage? CdnTotals(string distributionId, IReadOnlyList<UsageFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var days = figures.Where(f => f.Kind == "cdn" && f.Resource == distributionId).ToList();
        return days.Count == 0 ? null : new CdnUsage
        {
            Requests = (long)days.Where(f => f.Metric == UsageMetrics.CdnRequests).Sum(f => f.Value),
            BytesOut = (long)days.Where(f => f.Metric == UsageMetrics.CdnBytes).Sum(f => f.Value),
            Through = days.Max(f => f.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The period label: the calendar month (UTC), e.g. <c>2026-11</c>.</summary>
    public static string Period(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>True when the figures are missing, from another month, for other functions, or older than <paramref name="refresh"/>.</summary>
    public static bool IsDue(UsageStatus? usage, IReadOnlyList<string> functions, string period, DateTimeOffset now, TimeSpan refresh) =>
        usage?.UpdatedAt is not { } updated
        || usage.Period != period
        || !(usage.Functions ?? []).Select(f => f.Name).SequenceEqual(functions, StringComparer.Ordinal)
        || now - new DateTimeOffset(DateTime.SpecifyKind(updated, DateTimeKind.Utc)) >= refresh;

    /// <summary>status.usage from a GetMetricData answer (spec names, in spec order).</summary>
    public static UsageStatus Summarize(IReadOnlyList<string> functions, IReadOnlyList<string> awsNames, GetMetricDataResponse response, string period, DateTimeOffset now)
    {
        var figures = LambdaUsageQuery.Summarize(awsNames, response);
        return new UsageStatus
        {
            Period = period,
            UpdatedAt = now.UtcDateTime,
            Functions = [.. functions.Select((name, i) => new FunctionUsage
            {
                Name = name,
                Invocations = (long)Math.Round(figures[awsNames[i]].Invocations),
                Errors = (long)Math.Round(figures[awsNames[i]].Errors),
                AvgDurationMs = figures[awsNames[i]].AverageDurationMs is { } ms ? Math.Round(ms, 2) : null,
            })],
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {Key}: CloudWatch answered {ErrorCode}; the last consumption figures are kept")]
    private static partial void LogUnavailable(ILogger logger, string key, string errorCode);
}
