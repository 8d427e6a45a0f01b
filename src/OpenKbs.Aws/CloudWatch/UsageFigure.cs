namespace OpenKbs.Aws.CloudWatch;

/// <summary>One day's consumption of one resource (see <see cref="ProjectUsageQuery"/>), as kept by an <see cref="IUsageLedger"/>.</summary>
public sealed record UsageFigure
{
    /// <summary>The UTC day the figure covers (for today: the day so far).</summary>
    public required DateOnly Day { get; init; }

    /// <summary><c>function</c>, <c>bucket</c> or <c>database</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The AWS name of the resource (function name, bucket name, DB cluster identifier).</summary>
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
}

/// <summary>The resources of a project whose consumption is collected, by their AWS names.</summary>
public sealed record UsageResources(IReadOnlyList<string> Functions, string? Bucket, string? DatabaseCluster);

/// <summary>
/// Collects a project's daily consumption into the durable store at most once per UTC day (one GetMetricData through the
/// project's member-account client). Never throws for CloudWatch or store failures: the answer says what happened, and the
/// next pass tries again.
/// </summary>
public interface IUsageCollector
{
    Task<string> CollectAsync(UsageOwner owner, ICloudWatchClient cloudWatch, UsageResources resources, DateTimeOffset now, CancellationToken cancellationToken);
}
