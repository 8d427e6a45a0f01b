using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A CloudFront distribution: HTTPS only (TLSv1.2_2021 or newer), origins reached through origin access control.
/// TLS 1.2+ needs a custom domain: CloudFront's default *.cloudfront.net certificate always allows TLSv1, so an enabled CDN
/// requires aliases and acmCertificateArn (admission refuses it otherwise; nothing is ever served with TLSv1).</summary>
[CelRule(
    "!(has(self.enabled) && self.enabled) || has(self.acmCertificateArn)",
    "an enabled CDN needs aliases and acmCertificateArn: CloudFront's default certificate allows TLSv1, and projects require TLSv1.2_2021",
    FieldPath = ".acmCertificateArn")]
[CelRule(
    "(has(self.aliases) && size(self.aliases) > 0) == has(self.acmCertificateArn)",
    "aliases and acmCertificateArn must be given together: the certificate must cover the aliases",
    FieldPath = ".acmCertificateArn")]
public sealed record CdnSpec
{
    /// <summary>Create the distribution.</summary>
    public bool Enabled { get; init; }

    /// <summary>Which edge locations serve it. Only PriceClass_100 (Europe, North America, Israel; the default when absent)
    /// is allowed: CloudFront has no Europe-only class, and PriceClass_200/PriceClass_All would add edges in Asia, the
    /// Middle East, Africa and South America that cache the client's content for no benefit to EU viewers.</summary>
    [Enum(CdnPriceClasses.PriceClass100)]
    public string? PriceClass { get; init; }

    /// <summary>Custom domain names (CNAMEs) the distribution answers to, e.g. <c>shop.example.com</c>, at most 10, each
    /// covered by acmCertificateArn. Point each name's DNS record at the distribution's domain (status.cdn.domainName).</summary>
    [MaxItems(10)]
    [ListSet]
    [ItemMaxLength(253)]
    [ItemPattern(Patterns.DomainName)]
    public IList<string>? Aliases { get; init; }

    /// <summary>The ARN of an ACM certificate for the aliases, in us-east-1 as CloudFront requires (it holds only the
    /// certificate and its key, no client data), e.g. <c>arn:aws:acm:us-east-1:123456789012:certificate/UUID</c>. With it the
    /// distribution enforces TLSv1.2_2021 with SNI.</summary>
    [MaxLength(128)]
    [Pattern(Patterns.CloudFrontCertificateArn)]
    public string? AcmCertificateArn { get; init; }
}
