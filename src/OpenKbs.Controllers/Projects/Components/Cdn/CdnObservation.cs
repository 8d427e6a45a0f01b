using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The project's distribution as CloudFront reports it (the manager's reads, nothing derived): the distribution with the ETag of
/// that read and its tags (no distribution: <see cref="Missing"/>, or <see cref="Gone"/> when the id the step knew no longer
/// exists), and, once read, the account's origin access controls (null until
/// <see cref="CdnManager.ObserveOriginAccessControlsAsync"/> read them).
/// </summary>
internal sealed record CdnObservation(
    Distribution? Distribution,
    string? ETag,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<OriginAccessControlSummary>? OriginAccessControls,
    bool IsGone = false)
{
    /// <summary>No distribution with the project's id or comment.</summary>
    public static CdnObservation Missing { get; } = new(null, null, [], null);

    /// <summary>The distribution the step knew was deleted behind its back.</summary>
    public static CdnObservation Gone { get; } = new(null, null, [], null, IsGone: true);

    /// <summary>The origin access control id the distribution's first origin reports (moto reports none), or null.</summary>
    public string? EchoedOriginAccessControlId =>
        Distribution?.DistributionConfig?.Origins?.Items is [{ OriginAccessControlId: { Length: > 0 } echoed }, ..] ? echoed : null;

    /// <summary>The owner (its owner tag, else <c>uid …</c>) when the uid tag is not <paramref name="uid"/>, or null when the distribution is ours or untagged.</summary>
    public string? OwnerOtherThan(string? uid) =>
        OwnershipTags.ForeignOwner(Tags.Pairs(), uid);

    /// <summary>The id of the observed origin access control called <paramref name="name"/>, or null.</summary>
    public string? OriginAccessControlId(string? name) => OriginAccessControls?.FirstOrDefault(o => o.Name == name)?.Id;
}

/// <summary>What the distribution must be: the config <see cref="CdnRendering.Desired"/> renders and the owner tags.</summary>
internal sealed record CdnDesired(DistributionConfig Config, IReadOnlyDictionary<string, string> OwnerTags);
