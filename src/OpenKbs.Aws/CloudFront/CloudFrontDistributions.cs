using System.Security.Cryptography;
using System.Text;
using OpenKbs.Aws.CloudFront.Model;

namespace OpenKbs.Aws.CloudFront;

/// <summary>
/// Builds the DistributionConfig of a project's distribution: one S3 origin reached only through origin access control,
/// viewers redirected to HTTPS, TLSv1.2_2021 with a custom certificate, every {Quantity, Items} collection consistent, and a
/// CallerReference derived from the owner's uid (idempotent creation: a retry answers DistributionAlreadyExists with the id).
/// </summary>
public static class CloudFrontDistributions
{
    /// <summary>The managed CachingOptimized cache policy.</summary>
    public const string CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";

    /// <summary>The minimum viewer TLS policy OpenKBS asks for.</summary>
    public const string MinimumProtocolVersion = "TLSv1.2_2021";

    /// <summary>What CloudFront enforces with its default certificate, whatever the config says.</summary>
    public const string DefaultCertificateProtocolVersion = "TLSv1";

    /// <summary>The origin id of the project bucket.</summary>
    public const string OriginId = "project-bucket";

    /// <summary>A deterministic CallerReference: <c>openkbs-</c> + the first 32 hex characters of SHA-256(uid).</summary>
    public static string CallerReference(string ownerUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerUid);
        return "openkbs-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ownerUid)))[..32];
    }

    /// <summary>The regional REST domain of a bucket, as an origin.</summary>
    public static string S3OriginDomain(string bucketName, string region) => $"{bucketName}.s3.{region}.amazonaws.com";

    /// <summary>True when the config can actually enforce <see cref="MinimumProtocolVersion"/> (a custom certificate, not the default one).</summary>
    public static bool EnforcesMinimumTls(DistributionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var certificate = config.ViewerCertificate;
        return certificate is not null && certificate.CloudFrontDefaultCertificate != true && !string.IsNullOrEmpty(certificate.ACMCertificateArn)
            && string.CompareOrdinal(certificate.MinimumProtocolVersion, MinimumProtocolVersion) >= 0;
    }

    /// <summary>The desired DistributionConfig for <paramref name="spec"/>.</summary>
    public static DistributionConfig ForS3Origin(S3DistributionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var customCertificate = !string.IsNullOrEmpty(spec.AcmCertificateArn);
        var aliases = customCertificate ? spec.Aliases : [];
        return new DistributionConfig
        {
            CallerReference = CallerReference(spec.OwnerUid),
            Aliases = new Aliases { Quantity = aliases.Count, Items = aliases.Count == 0 ? null : aliases },
            DefaultRootObject = spec.DefaultRootObject,
            Origins = new Origins
            {
                Quantity = 1,
                Items =
                [
                    new Origin
                    {
                        Id = OriginId,
                        DomainName = S3OriginDomain(spec.BucketName, spec.BucketRegion),
                        OriginPath = string.Empty,
                        S3OriginConfig = new S3OriginConfig { OriginAccessIdentity = string.Empty },
                        OriginAccessControlId = spec.OriginAccessControlId,
                    },
                ],
            },
            DefaultCacheBehavior = new DefaultCacheBehavior
            {
                TargetOriginId = OriginId,
                ViewerProtocolPolicy = "redirect-to-https",
                AllowedMethods = new AllowedMethods
                {
                    Quantity = 2,
                    Items = ["GET", "HEAD"],
                    CachedMethods = new CachedMethods { Quantity = 2, Items = ["GET", "HEAD"] },
                },
                Compress = true,
                CachePolicyId = spec.CachePolicyId,
            },
            Comment = spec.Comment,
            PriceClass = spec.PriceClass,
            Enabled = spec.Enabled,
            ViewerCertificate = customCertificate
                ? new ViewerCertificate { ACMCertificateArn = spec.AcmCertificateArn, SSLSupportMethod = "sni-only", MinimumProtocolVersion = spec.MinimumProtocolVersion }
                : new ViewerCertificate { CloudFrontDefaultCertificate = true, MinimumProtocolVersion = DefaultCertificateProtocolVersion },
            Restrictions = new Restrictions
            {
                GeoRestriction = spec.AllowedCountries.Count == 0
                    ? new GeoRestriction { RestrictionType = "none", Quantity = 0 }
                    : new GeoRestriction { RestrictionType = "whitelist", Quantity = spec.AllowedCountries.Count, Items = spec.AllowedCountries },
            },
            HttpVersion = "http2and3",
            IsIPV6Enabled = true,
        };
    }
}
