using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The distribution settings that differ from the desired state (ACK-style delta): <see cref="PathDelta.Paths"/> are written together by one
/// UpdateDistribution (If-Match), <see cref="MissingTags"/> and <see cref="Unrelease"/> by the tag calls. Computed by
/// <see cref="Between"/>, a pure function of what is wanted and what was observed.
/// </summary>
internal sealed record CdnDelta : PathDelta
{
    public const string Enabled = "Enabled";
    public const string Aliases = "Aliases";
    public const string ViewerCertificate = "ViewerCertificate";
    public const string PriceClass = "PriceClass";
    public const string CacheBehavior = "DefaultCacheBehavior";
    public const string Origin = "Origins";
    public const string Comment = "Comment";
    public const string CacheBehaviors = "CacheBehaviors";
    public const string Logging = "Logging";

    /// <summary>The owner tags the distribution lacks or carries with another value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> MissingTags { get; private init; } = [];

    /// <summary>The distribution carries <c>openkbs.com/released</c> (adopted again after a Retain deletion): the tag goes.</summary>
    public bool Unrelease { get; private init; }

    public override bool IsEmpty => base.IsEmpty && MissingTags.Count == 0 && !Unrelease;

    /// <summary>
    /// The paths where the observed distribution is not <paramref name="desired"/>. An origin that does not report its origin
    /// access control id (moto omits it) is not counted as drift; an empty one (removed) is. A missing distribution has no delta:
    /// it is created.
    /// </summary>
    public static CdnDelta Between(CdnDesired desired, CdnObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var current = observed.Distribution?.DistributionConfig ?? throw new ArgumentException("a missing distribution is created, not updated", nameof(observed));
        var wanted = desired.Config;
        var tags = observed.Tags.Pairs();
        var delta = new CdnDelta
        {
            MissingTags = OwnershipTags.Missing(desired.OwnerTags, tags),
            Unrelease = OwnershipTags.IsReleased(tags),
        };
        if (current.Enabled != wanted.Enabled)
        {
            delta.Paths.Add(Enabled);
        }

        var currentAliases = (current.Aliases?.Items ?? []).Order(StringComparer.Ordinal);
        if (!currentAliases.SequenceEqual((wanted.Aliases?.Items ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            delta.Paths.Add(Aliases);
        }

        var (c, d) = (current.ViewerCertificate, wanted.ViewerCertificate!);
        if (c is null || (c.CloudFrontDefaultCertificate ?? false) != (d.CloudFrontDefaultCertificate ?? false) || c.ACMCertificateArn != d.ACMCertificateArn
            || c.MinimumProtocolVersion != d.MinimumProtocolVersion || (d.SSLSupportMethod is not null && c.SSLSupportMethod != d.SSLSupportMethod))
        {
            delta.Paths.Add(ViewerCertificate);
        }

        if (current.PriceClass != wanted.PriceClass)
        {
            delta.Paths.Add(PriceClass);
        }

        var (cb, db) = (current.DefaultCacheBehavior, wanted.DefaultCacheBehavior!);
        if (cb is null || cb.ViewerProtocolPolicy != db.ViewerProtocolPolicy || cb.TargetOriginId != db.TargetOriginId || cb.CachePolicyId != db.CachePolicyId)
        {
            delta.Paths.Add(CacheBehavior);
        }

        if (!OriginsMatch(current.Origins?.Items ?? [], wanted.Origins!.Items!))
        {
            delta.Paths.Add(Origin);
        }

        var behaviours = current.CacheBehaviors?.Items ?? [];
        var wantedBehaviours = wanted.CacheBehaviors?.Items ?? [];
        if (behaviours.Count != wantedBehaviours.Count || behaviours.Zip(wantedBehaviours).Any(p => p.First.PathPattern != p.Second.PathPattern
            || p.First.TargetOriginId != p.Second.TargetOriginId || p.First.ViewerProtocolPolicy != p.Second.ViewerProtocolPolicy))
        {
            delta.Paths.Add(CacheBehaviors);
        }

        if (current.Comment != wanted.Comment)
        {
            delta.Paths.Add(Comment);
        }

        var (cl, dl) = (current.Logging ?? new LoggingConfig(), wanted.Logging ?? new LoggingConfig());
        if (cl.Enabled != dl.Enabled || cl.IncludeCookies != dl.IncludeCookies || (dl.Enabled && (cl.Bucket != dl.Bucket || cl.Prefix != dl.Prefix)))
        {
            delta.Paths.Add(Logging);
        }

        return delta;
    }

    /// <summary>The config paths (tags are not listed), for logs and events.</summary>
    public override string ToString() => string.Join(", ", Paths);

    private static bool OriginsMatch(IReadOnlyList<Origin> origins, IReadOnlyList<Origin> wanted) =>
        origins.Count == wanted.Count && !origins.Zip(wanted).Any(p => p.First.Id != p.Second.Id || p.First.DomainName != p.Second.DomainName
            || (p.First.OriginAccessControlId is { } oac && oac != p.Second.OriginAccessControlId));
}
