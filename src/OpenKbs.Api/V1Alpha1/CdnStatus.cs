using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed CloudFront distribution.</summary>
public sealed class CdnStatus
{
    /// <summary>The distribution's id.</summary>
    [MaxLength(32)]
    public string? DistributionId { get; set; }

    /// <summary>The distribution's domain name, e.g. <c>d111111abcdef8.cloudfront.net</c>.</summary>
    [MaxLength(256)]
    public string? DomainName { get; set; }

    /// <summary>The distribution's status as CloudFront reports it (InProgress or Deployed).</summary>
    [MaxLength(32)]
    public string? Status { get; set; }
}
