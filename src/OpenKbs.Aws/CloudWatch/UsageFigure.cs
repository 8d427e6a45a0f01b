namespace OpenKbs.Aws.CloudWatch;

/// <summary>One day's consumption of one resource (see <see cref="ProjectUsageQuery"/>), as kept by an <see cref="IUsageLedger"/>.</summary>
public sealed record UsageFigure
{
    /// <summary>The UTC day the figure covers (for today: the day so far).</summary>
    public required DateOnly Day { get; init; }

    /// <summary><c>function</c>, <c>bucket</c>, <c>database</c> or <c>cdn</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The AWS name of the resource (function name, bucket name, DB cluster identifier, distribution id).</summary>
    public required string Resource { get; init; }

    /// <summary>See <see cref="UsageMetrics"/>.</summary>
    public required string Metric { get; init; }

    public required double Value { get; init; }

    /// <summary><c>Count</c>, <c>Milliseconds</c>, <c>Bytes</c> or <c>ACU-hours</c>.</summary>
    public required string Unit { get; init; }
}

/// <summary>The metric names of <see cref="UsageFigure"/>.</summary>
public static class UsageMetrics
{
    /// <summary>Lambda invocations that day (Count).</summary>
    public const string Invocations = "invocations";

    /// <summary>Lambda invocations that ended in an error (Count).</summary>
    public const string Errors = "errors";

    /// <summary>Lambda run time that day, all invocations together (Milliseconds).</summary>
    public const string DurationMs = "durationMs";

    /// <summary>S3 Standard storage that day (Bytes; a level, not a flow: the month's figure is the latest day's).</summary>
    public const string StorageBytes = "storageBytes";

    /// <summary>Aurora Serverless v2 capacity that day (ACU-hours: mean ServerlessDatabaseCapacity times the hours covered).</summary>
    public const string AcuHours = "acuHours";

    /// <summary>CloudFront requests that day (Count; from the distribution's access logs, not CloudWatch: docs/usage.md).</summary>
    public const string CdnRequests = "requests";

    /// <summary>CloudFront bytes served to viewers that day (Bytes: the sum of the logs' <c>sc-bytes</c>).</summary>
    public const string CdnBytes = "bytesOut";
}

/// <summary>Who the figures belong to: a Project in a namespace (and the AWS account it runs in).</summary>
public sealed record UsageOwner(string Namespace, string Project, string? AccountId);

/// <summary>
/// Keeps daily consumption figures per project (the durable store: <c>openkbs_audit.usage</c>). A figure for a day already
/// kept replaces it: CloudWatch settles a day's numbers after it ends, and the latest reading of a day is the true one.
/// </summary>
public interface IUsageLedger
{
    Task RecordAsync(UsageOwner owner, IReadOnlyList<UsageFigure> figures, CancellationToken cancellationToken);

    /// <summary>When figures of the project were last written (null: never).</summary>
    Task<DateTimeOffset?> LastCollectedAsync(string @namespace, string project, CancellationToken cancellationToken);

    /// <summary>The project's stored daily figures of <paramref name="period"/> (<c>yyyy-MM</c>), by day.</summary>
    Task<IReadOnlyList<UsageFigure>> PeriodAsync(string @namespace, string project, string period, CancellationToken cancellationToken);
}

/// <summary>
/// The resources of a project whose consumption is collected, by their AWS names; with <paramref name="Cdn"/>, the
/// distribution whose access logs are read.
/// </summary>
public sealed record UsageResources(IReadOnlyList<string> Functions, string? Bucket, string? DatabaseCluster, CdnLogLocation? Cdn = null);

/// <summary>Where CloudFront delivers a distribution's standard access logs: the log bucket (in the project's EU region) and key prefix.</summary>
public sealed record CdnLogLocation(string DistributionId, string Bucket, string Prefix);

/// <summary>
/// Collects a project's daily consumption into the durable store at most once per UTC day (one GetMetricData through the
/// project's member-account client; with a CDN, the day's access log files from the log bucket through the same account's
/// regional S3 client). Never throws for AWS or store failures: the answer says what happened, and the next pass tries again.
/// </summary>
public interface IUsageCollector
{
    Task<string> CollectAsync(UsageOwner owner, ICloudWatchClient cloudWatch, UsageResources resources, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>As the other overload; <paramref name="logs"/> reads the CDN's access logs (<see cref="UsageResources.Cdn"/>).</summary>
    Task<string> CollectAsync(UsageOwner owner, ICloudWatchClient cloudWatch, S3.IS3Client logs, UsageResources resources, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The project's stored figures of <paramref name="period"/>; null when the store is unreachable (logged).</summary>
    Task<IReadOnlyList<UsageFigure>?> PeriodAsync(UsageOwner owner, string period, CancellationToken cancellationToken);
}
