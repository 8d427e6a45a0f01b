using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The project's CloudFront distribution as pure functions (table-tested): the desired DistributionConfig (built by
/// <see cref="CloudFrontDistributions.ForS3Origin"/>: the project bucket through origin access control, redirect-to-https,
/// TLSv1.2_2021 with the spec's ACM certificate and aliases, the price class, standard logging into the project's log bucket)
/// that <see cref="CdnDelta"/> compares with the current config, the origin access controls, and the log bucket's settings.
/// </summary>
internal static class CdnRendering
{
    /// <summary>The key prefix of the access log files in the log bucket.</summary>
    public const string LogPrefix = "cloudfront/";

    /// <summary>Days a raw access log file is kept (the daily collection reads at most 31 days back; the figures stay in the ledger).</summary>
    public const int LogRetentionDays = 40;

    /// <summary>The id of the log bucket's lifecycle rule.</summary>
    public const string LogLifecycleRuleId = "openkbs-cdn-log-expiry";

    /// <summary>
    /// The EU regions CloudFront's standard logging cannot deliver to: the opt-in regions (Milan, Spain; CloudFront's list of
    /// unsupported log bucket regions). A project there has no CDN usage figures.
    /// </summary>
    public static readonly IReadOnlySet<string> RegionsWithoutLogDelivery = new HashSet<string>(["eu-south-1", "eu-south-2"], StringComparer.Ordinal);

    /// <summary>True when CloudFront can deliver standard logs to a bucket in <paramref name="region"/>.</summary>
    public static bool LogsDeliverable(string region) => !RegionsWithoutLogDelivery.Contains(region);

    /// <summary>Standard logging into <see cref="ProjectNames.CdnLogBucket"/> under <see cref="LogPrefix"/>, without cookies
    /// (personal data the usage figures do not need); off (empty bucket and prefix, as CloudFront requires) where logs cannot be delivered.</summary>
    public static LoggingConfig Logging(ProjectNames names, string region)
    {
        ArgumentNullException.ThrowIfNull(names);
        return LogsDeliverable(region)
            ? new LoggingConfig { Enabled = true, IncludeCookies = false, Bucket = $"{names.CdnLogBucket}.s3.amazonaws.com", Prefix = LogPrefix }
            : new LoggingConfig { Enabled = false, IncludeCookies = false, Bucket = string.Empty, Prefix = string.Empty };
    }

    /// <summary>The log bucket's Object Ownership: ACLs enabled (legacy logging writes through the log-delivery grant and refuses
    /// BucketOwnerEnforced), delivered files owned by the bucket owner.</summary>
    public const string LogBucketOwnership = "BucketOwnerPreferred";

    /// <summary>The log bucket's default encryption: SSE-S3 (docs/usage.md: why not the project key).</summary>
    public const string LogBucketEncryption = "AES256";

    /// <summary>The canonical user of CloudFront's log delivery (the <c>awslogsdelivery</c> account; the same in every
    /// commercial region, AWS CloudFront developer guide, "Permissions required to configure standard logging").</summary>
    public const string LogDeliveryCanonicalUser = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";

    /// <summary>The log bucket's whole ACL: the bucket owner and CloudFront's log delivery, each FULL_CONTROL (what CloudFront
    /// itself writes when logging is enabled), nothing else.</summary>
    public static IReadOnlyList<Grant> LogBucketGrants(string ownerId) =>
        [new Grant { GranteeId = ownerId, Permission = "FULL_CONTROL" }, new Grant { GranteeId = LogDeliveryCanonicalUser, Permission = "FULL_CONTROL" }];

    /// <summary>The log bucket's one lifecycle rule: log files expire after <see cref="LogRetentionDays"/>; stale uploads are aborted.</summary>
    public static LifecycleRule LogLifecycle { get; } = new()
    {
        Id = LogLifecycleRuleId,
        Status = "Enabled",
        Prefix = string.Empty,
        ExpirationDays = LogRetentionDays,
        AbortIncompleteMultipartUploadDays = 1,
    };

    /// <summary>The comment that marks the project's distribution: ListDistributions finds it by this after a lost create answer.</summary>
    public static string DistributionComment(ProjectNames names) => $"openkbs project {names.OriginAccessControl}";

    /// <summary>The origin access control: S3, SigV4, always signed.</summary>
    public static OriginAccessControlConfig OriginAccessControl(ProjectNames names) => new()
    {
        Name = names.OriginAccessControl,
        Description = $"OpenKBS project {names.Namespace}/{names.Name}: CloudFront reads the project bucket",
        SigningProtocol = "sigv4",
        SigningBehavior = "always",
        OriginAccessControlOriginType = "s3",
    };

    /// <summary>The origin access control of the access function's URL origin (docs/access.md): Lambda, SigV4, always signed.</summary>
    public static OriginAccessControlConfig FunctionOriginAccessControl(ProjectNames names) => new()
    {
        Name = $"okbs-{names.Base(45)}-{names.Hash}-auth",
        Description = $"OpenKBS project {names.Namespace}/{names.Name}: CloudFront calls the access function's URL",
        SigningProtocol = "sigv4",
        SigningBehavior = "always",
        OriginAccessControlOriginType = "lambda",
    };

    /// <summary>The path CloudFront routes to the access function.</summary>
    public const string AuthPath = "/auth/*";

    /// <summary>The desired config; <paramref name="enabled"/> false while a distribution is being switched off. With
    /// <paramref name="functionUrl"/> and its origin access control, <see cref="AuthPath"/> goes to the access function.</summary>
    public static DistributionConfig Desired(ProjectNames names, CdnSpec spec, string bucket, string region, string originAccessControlId, bool enabled = true,
        string? functionUrl = null, string? functionOriginAccessControlId = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(spec);
        var config = CloudFrontDistributions.ForS3Origin(new S3DistributionSpec
        {
            OwnerUid = names.Uid,
            BucketName = bucket,
            BucketRegion = region,
            OriginAccessControlId = originAccessControlId,
            PriceClass = spec.PriceClass ?? CdnPriceClasses.PriceClass100,
            Comment = DistributionComment(names),
            Enabled = enabled,
            AcmCertificateArn = spec.AcmCertificateArn,
            Aliases = [.. (spec.Aliases ?? []).Order(StringComparer.Ordinal)],
        });

        config = config with { Logging = Logging(names, region) };
        if (functionUrl is not null && functionOriginAccessControlId is not null)
        {
            config = WithAccessFunction(config, new Uri(functionUrl).Host, functionOriginAccessControlId);
        }

        // Say explicitly that the default certificate is not used: a reader that assumes it when the field is absent (moto
        // does) would otherwise report the default certificate, and drift checks would rewrite the distribution forever.
        return config.ViewerCertificate is { ACMCertificateArn.Length: > 0 } custom
            ? config with { ViewerCertificate = custom with { CloudFrontDefaultCertificate = false } }
            : config;
    }

    /// <summary>
    /// Adds the access function's URL as an HTTPS origin (signed by its origin access control) and the <see cref="AuthPath"/>
    /// behaviour: every method, HTTPS only, no caching (managed CachingDisabled), the viewer's headers except Host (managed
    /// AllViewerExceptHostHeader: a Function URL answers only to its own host name).
    /// </summary>
    private static DistributionConfig WithAccessFunction(DistributionConfig config, string host, string originAccessControlId)
    {
        const string originId = "access-function";
        var origin = new Origin
        {
            Id = originId,
            DomainName = host,
            OriginPath = string.Empty,
            CustomOriginConfig = new CustomOriginConfig
            {
                HTTPPort = 80,
                HTTPSPort = 443,
                OriginProtocolPolicy = "https-only",
                OriginSslProtocols = new OriginSslProtocols { Quantity = 1, Items = ["TLSv1.2"] },
            },
            OriginAccessControlId = originAccessControlId,
        };
        var behaviour = new CacheBehavior
        {
            PathPattern = AuthPath,
            TargetOriginId = originId,
            ViewerProtocolPolicy = "https-only",
            AllowedMethods = new AllowedMethods
            {
                Quantity = 7,
                Items = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                CachedMethods = new CachedMethods { Quantity = 2, Items = ["GET", "HEAD"] },
            },
            Compress = true,
            CachePolicyId = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            OriginRequestPolicyId = "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        };
        List<Origin> origins = [.. config.Origins!.Items!, origin];
        return config with
        {
            Origins = new Origins { Quantity = origins.Count, Items = origins },
            CacheBehaviors = new CacheBehaviors { Quantity = 1, Items = [behaviour] },
        };
    }

    /// <summary>Where clients reach the project: the first alias (the distribution answers there with TLSv1.2_2021), else its domain.</summary>
    public static string Endpoint(CdnSpec spec, string? domainName) =>
        spec.Aliases is { Count: > 0 } aliases ? $"https://{aliases.Order(StringComparer.Ordinal).First()}" : $"https://{domainName}";
}
