using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>
/// The project bucket as S3 reports it (the manager's read, nothing derived): each setting null when S3 has none. A bucket
/// that does not exist is <see cref="Missing"/>.
/// </summary>
internal sealed record BucketObservation(
    bool Exists,
    IReadOnlyList<Tag> Tags,
    string? Versioning,
    GetBucketEncryptionResponse? Encryption,
    PublicAccessBlockConfiguration? PublicAccessBlock,
    IReadOnlyList<LifecycleRule>? Lifecycle,
    string? Policy)
{
    /// <summary>No bucket (or one just created, which has none of the operator's settings yet).</summary>
    public static BucketObservation Missing { get; } = new(false, [], null, null, null, null, null);
}

/// <summary>The project key as KMS reports it: its metadata (null when the alias names none), rotation and tags.</summary>
internal sealed record KeyObservation(OpenKbs.Aws.Kms.Model.KeyMetadata? Key, bool RotationEnabled, IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>What the bucket must be: rendered from the project by <see cref="StorageRendering"/>.</summary>
internal sealed record BucketDesired(string Bucket, string KeyArn, LifecycleRule Lifecycle, string Policy, IReadOnlyDictionary<string, string> OwnerTags);
