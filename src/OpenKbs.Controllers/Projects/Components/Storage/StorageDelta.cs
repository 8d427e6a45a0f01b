using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>
/// The bucket settings that differ from the desired state (ACK-style delta: each path picks one S3 call). Computed by
/// <see cref="Between"/>, a pure function of what is wanted and what was observed.
/// </summary>
internal sealed record StorageDelta : PathDelta
{
    public const string Versioning = "Versioning";
    public const string Encryption = "Encryption";
    public const string PublicAccessBlock = "PublicAccessBlock";
    public const string Lifecycle = "Lifecycle";
    public const string Policy = "Policy";
    public const string Tags = "Tags";

    /// <summary>The full tag set to write when <see cref="Tags"/> differs (other tools' tags kept), else null.</summary>
    public IReadOnlyDictionary<string, string>? MergedTags { get; private init; }

    /// <summary>The paths where <paramref name="observed"/> is not <paramref name="desired"/>, in the order the manager writes them.</summary>
    public static StorageDelta Between(BucketDesired desired, BucketObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var tags = OwnershipTags.Merge(observed.Tags.Pairs(), desired.OwnerTags);
        var delta = new StorageDelta { MergedTags = tags };
        if (observed.PublicAccessBlock != StorageRendering.PublicAccessBlock)
        {
            delta.Paths.Add(PublicAccessBlock);
        }

        if (observed.Versioning != "Enabled")
        {
            delta.Paths.Add(Versioning);
        }

        if (observed.Encryption is not { SSEAlgorithm: "aws:kms", BucketKeyEnabled: true } || observed.Encryption.KMSMasterKeyID != desired.KeyArn)
        {
            delta.Paths.Add(Encryption);
        }

        if (observed.Lifecycle is null || !StorageRendering.LifecycleMatches(observed.Lifecycle, desired.Lifecycle))
        {
            delta.Paths.Add(Lifecycle);
        }

        if (tags is not null)
        {
            delta.Paths.Add(Tags);
        }

        if (!PolicyDocuments.Equivalent(observed.Policy, desired.Policy))
        {
            delta.Paths.Add(Policy);
        }

        return delta;
    }

    public override string ToString() => string.Join(", ", Paths);
}
