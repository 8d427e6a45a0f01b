using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// CloudFront consumption of the period to date, from the distribution's standard access logs as of the last daily collection
/// into the audit store (not CloudWatch: its CloudFront metrics exist only in us-east-1; docs/usage.md).
/// </summary>
public sealed class CdnUsage
{
    /// <summary>Requests served.</summary>
    [Minimum(0)]
    public long? Requests { get; set; }

    /// <summary>Bytes served to viewers (the sum of the logs' sc-bytes).</summary>
    [Minimum(0)]
    public long? BytesOut { get; set; }

    /// <summary>The last day (UTC, <c>yyyy-MM-dd</c>) with figures; the last day may still be partial.</summary>
    [MaxLength(10)]
    public string? Through { get; set; }
}
