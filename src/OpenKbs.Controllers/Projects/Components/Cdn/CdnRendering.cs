using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The project's CloudFront distribution as pure functions (table-tested): the desired DistributionConfig (built by
/// <see cref="CloudFrontDistributions.ForS3Origin"/>: the project bucket through origin access control, redirect-to-https,
/// TLSv1.2_2021 with the spec's ACM certificate and aliases, the price class) and the delta of a current config, naming the paths
/// that differ. One UpdateDistribution (If-Match) carries them all.
/// </summary>
internal static class CdnRendering
{
    // Delta paths.
    public const string Enabled = "Enabled";
    public const string Aliases = "Aliases";
    public const string ViewerCertificate = "ViewerCertificate";
    public const string PriceClass = "PriceClass";
    public const string CacheBehavior = "DefaultCacheBehavior";
    public const string Origin = "Origins";
    public const string Comment = "Comment";

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

    /// <summary>The desired config; <paramref name="enabled"/> false while a distribution is being switched off.</summary>
    public static DistributionConfig Desired(ProjectNames names, CdnSpec spec, string bucket, string region, string originAccessControlId, bool enabled = true)
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

        // Say explicitly that the default certificate is not used: a reader that assumes it when the field is absent (moto
        // does) would otherwise report the default certificate, and drift checks would rewrite the distribution forever.
        return config.ViewerCertificate is { ACMCertificateArn.Length: > 0 } custom
            ? config with { ViewerCertificate = custom with { CloudFrontDefaultCertificate = false } }
            : config;
    }

    /// <summary>
    /// The paths where <paramref name="current"/> differs from <paramref name="desired"/>. An origin that does not report its
    /// origin access control id (moto omits it) is not counted as drift; an empty one (removed) is.
    /// </summary>
    public static IReadOnlyList<string> Delta(DistributionConfig current, DistributionConfig desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var paths = new List<string>();
        if (current.Enabled != desired.Enabled)
        {
            paths.Add(Enabled);
        }

        var currentAliases = (current.Aliases?.Items ?? []).Order(StringComparer.Ordinal);
        if (!currentAliases.SequenceEqual((desired.Aliases?.Items ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            paths.Add(Aliases);
        }

        var (c, d) = (current.ViewerCertificate, desired.ViewerCertificate!);
        if (c is null || (c.CloudFrontDefaultCertificate ?? false) != (d.CloudFrontDefaultCertificate ?? false) || c.ACMCertificateArn != d.ACMCertificateArn
            || c.MinimumProtocolVersion != d.MinimumProtocolVersion || (d.SSLSupportMethod is not null && c.SSLSupportMethod != d.SSLSupportMethod))
        {
            paths.Add(ViewerCertificate);
        }

        if (current.PriceClass != desired.PriceClass)
        {
            paths.Add(PriceClass);
        }

        var (cb, db) = (current.DefaultCacheBehavior, desired.DefaultCacheBehavior!);
        if (cb is null || cb.ViewerProtocolPolicy != db.ViewerProtocolPolicy || cb.TargetOriginId != db.TargetOriginId || cb.CachePolicyId != db.CachePolicyId)
        {
            paths.Add(CacheBehavior);
        }

        var origins = current.Origins?.Items ?? [];
        var want = desired.Origins!.Items![0];
        if (origins.Count != 1 || origins[0].Id != want.Id || origins[0].DomainName != want.DomainName
            || (origins[0].OriginAccessControlId is { } oac && oac != want.OriginAccessControlId))
        {
            paths.Add(Origin);
        }

        if (current.Comment != desired.Comment)
        {
            paths.Add(Comment);
        }

        return paths;
    }

    /// <summary>Where clients reach the project: the first alias (the distribution answers there with TLSv1.2_2021), else its domain.</summary>
    public static string Endpoint(CdnSpec spec, string? domainName) =>
        spec.Aliases is { Count: > 0 } aliases ? $"https://{aliases.Order(StringComparer.Ordinal).First()}" : $"https://{domainName}";
}
