namespace OpenKbs.Aws.CloudFront;

/// <summary>What OpenKBS wants of a project's distribution (input of <see cref="CloudFrontDistributions.ForS3Origin"/>).</summary>
public sealed record S3DistributionSpec
{
    /// <summary>The owning resource's uid: the CallerReference is derived from it, so a retry never creates a second distribution.</summary>
    public required string OwnerUid { get; init; }

    /// <summary>The bucket the distribution serves (reached only through origin access control).</summary>
    public required string BucketName { get; init; }

    /// <summary>The bucket's region (an allowed EU region).</summary>
    public required string BucketRegion { get; init; }

    public required string OriginAccessControlId { get; init; }

    /// <summary>PriceClass_100 (default), PriceClass_200 or PriceClass_All.</summary>
    public string PriceClass { get; init; } = "PriceClass_100";

    public string Comment { get; init; } = string.Empty;

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// An ACM certificate in us-east-1 for <see cref="Aliases"/>. Without one CloudFront serves its default *.cloudfront.net
    /// certificate and forces the TLSv1 security policy: TLSv1.2_2021 is then impossible (docs/aws.md, the CloudFront TLS finding).
    /// </summary>
    public string? AcmCertificateArn { get; init; }

    /// <summary>Alternate domain names covered by <see cref="AcmCertificateArn"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Security policy with a custom certificate.</summary>
    public string MinimumProtocolVersion { get; init; } = CloudFrontDistributions.MinimumProtocolVersion;

    /// <summary>Viewer countries allowed (ISO codes); empty means no geo restriction.</summary>
    public IReadOnlyList<string> AllowedCountries { get; init; } = [];

    public string DefaultRootObject { get; init; } = "index.html";

    /// <summary>The cache policy (managed CachingOptimized by default).</summary>
    public string CachePolicyId { get; init; } = CloudFrontDistributions.CachingOptimized;
}
