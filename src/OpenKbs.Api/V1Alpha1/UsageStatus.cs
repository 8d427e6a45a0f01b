using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Consumption of the project's functions from CloudWatch and, with the audit store, of its CDN from the access logs.</summary>
public sealed class UsageStatus
{
    /// <summary>The period the figures cover, e.g. <c>2026-11</c> for the calendar month to date.</summary>
    [MaxLength(64)]
    public string? Period { get; set; }

    /// <summary>When the figures were last read.</summary>
    public DateTime? UpdatedAt { get; set; }

    /// <summary>Figures per function.</summary>
    [MaxItems(20)]
    public IList<FunctionUsage>? Functions { get; set; }

    /// <summary>CloudFront requests and bytes (only with a distribution and the durable audit store).</summary>
    public CdnUsage? Cdn { get; set; }
}
