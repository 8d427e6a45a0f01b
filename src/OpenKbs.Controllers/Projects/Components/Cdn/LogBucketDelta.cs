using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The log bucket settings that differ from the desired state (ACK-style delta: each path picks one S3 call). Computed by
/// <see cref="Between"/>, a pure function of what is wanted and what was observed.
/// </summary>
internal sealed record LogBucketDelta : PathDelta
{
    public const string ObjectOwnership = "ObjectOwnership";
    public const string PublicAccessBlock = "PublicAccessBlock";
    public const string Encryption = "Encryption";
    public const string Acl = "Acl";
    public const string Lifecycle = "Lifecycle";
    public const string Tags = "Tags";
    public const string Policy = "Policy";

    /// <summary>The full tag set to write when <see cref="Tags"/> differs (other tools' tags kept, released cleared), else null.</summary>
    public IReadOnlyDictionary<string, string>? MergedTags { get; private init; }

    /// <summary>The paths where <paramref name="observed"/> is not <paramref name="desired"/>, in the order the manager writes them
    /// (Object Ownership before the ACL: under BucketOwnerEnforced S3 refuses any ACL write).</summary>
    public static LogBucketDelta Between(LogBucketDesired desired, LogBucketObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var tags = OwnershipTags.Merge(observed.Tags.Pairs(), desired.OwnerTags);
        var delta = new LogBucketDelta { MergedTags = tags };
        if (observed.ObjectOwnership != CdnRendering.LogBucketOwnership)
        {
            delta.Paths.Add(ObjectOwnership);
        }

        if (observed.PublicAccessBlock != StorageRendering.PublicAccessBlock)
        {
            delta.Paths.Add(PublicAccessBlock);
        }

        if (observed.Encryption is not { SSEAlgorithm: CdnRendering.LogBucketEncryption, KMSMasterKeyID: null })
        {
            delta.Paths.Add(Encryption);
        }

        if (!AclMatches(observed.Acl))
        {
            delta.Paths.Add(Acl);
        }

        if (observed.Lifecycle is null || !StorageRendering.LifecycleMatches(observed.Lifecycle, CdnRendering.LogLifecycle))
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

    /// <summary>Exactly the grants of <see cref="CdnRendering.LogBucketGrants"/> for the observed owner (order ignored): a missing
    /// log-delivery grant stops delivery, any other grant is not ours. No ACL read (a bucket not yet created) is a difference.</summary>
    private static bool AclMatches(GetBucketAclResponse? acl)
    {
        if (acl?.OwnerId is not { } owner)
        {
            return false;
        }

        static string Key(Grant g) => $"{g.GranteeId}|{g.GranteeUri}|{g.Permission}";
        return acl.Grants.Select(Key).Order(StringComparer.Ordinal).SequenceEqual(CdnRendering.LogBucketGrants(owner).Select(Key).Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }
}
