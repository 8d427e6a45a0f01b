namespace OpenKbs.Aws.CloudWatch;

/// <summary>One function's consumption over a window (see <see cref="LambdaUsageQuery"/>).</summary>
public sealed record LambdaUsage
{
    public required double Invocations { get; init; }

    public required double Errors { get; init; }

    /// <summary>Mean duration in milliseconds, weighted by invocations per period; null without data.</summary>
    public double? AverageDurationMs { get; init; }

    /// <summary>True when CloudWatch answered PartialData (or an error status) for one of the queries.</summary>
    public bool Partial { get; init; }
}
