using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The CloudFront access log bucket as S3 reports it (<see cref="CdnManager.ObserveLogBucketAsync"/>, nothing derived): each
/// setting null when S3 has none. A bucket that does not exist is <see cref="Missing"/>.
/// </summary>
internal sealed record LogBucketObservation(
    bool Exists,
    IReadOnlyList<Tag> Tags,
    string? ObjectOwnership,
    GetBucketEncryptionResponse? Encryption,
    PublicAccessBlockConfiguration? PublicAccessBlock,
    IReadOnlyList<LifecycleRule>? Lifecycle,
    string? Policy,
    GetBucketAclResponse? Acl)
{
    /// <summary>No log bucket (or one just created, which has none of the operator's settings yet).</summary>
    public static LogBucketObservation Missing { get; } = new(false, [], null, null, null, null, null, null);
}

/// <summary>What the log bucket must be: its name, the TLS-only policy and the owner tags (the other settings are fixed, <see cref="CdnRendering"/>).</summary>
internal sealed record LogBucketDesired(string Bucket, string Policy, IReadOnlyDictionary<string, string> OwnerTags);
