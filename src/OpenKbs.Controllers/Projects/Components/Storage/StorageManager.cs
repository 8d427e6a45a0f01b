using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Shared;
using KmsTag = OpenKbs.Aws.Kms.Model.Tag;
using S3Tag = OpenKbs.Aws.S3.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>
/// The storage component's AWS side (ACK's "sdk" layer): observes the project bucket and key and applies a
/// <see cref="StorageDelta"/>, nothing else. It takes no decisions: ownership, checkpoints, events and status belong to
/// <see cref="StorageStep"/>. Reads map "not found" to null; every other AWS error propagates to the recipe engine.
/// </summary>
internal sealed class StorageManager(IS3Client s3, IKmsClient kms)
{
    /// <summary>Reads every setting the operator manages (six reads; one when the bucket does not exist).</summary>
    public async Task<BucketObservation> ObserveBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        if (await ReadBucketTagsAsync(bucket, cancellationToken) is not { } tags)
        {
            return BucketObservation.Missing;
        }

        return new BucketObservation(
            Exists: true,
            tags,
            (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken)).Status,
            await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken)),
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken)))?.PublicAccessBlockConfiguration,
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken)))?.Rules,
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, cancellationToken)))?.Policy);
    }

    /// <summary>The bucket's tags (empty when it has none), or null when there is no bucket.</summary>
    public Task<IReadOnlyList<S3Tag>?> ReadBucketTagsAsync(string bucket, CancellationToken cancellationToken) => s3.ReadBucketTagsAsync(bucket, cancellationToken);

    /// <summary>Creates the bucket (owner-enforced objects); false when an earlier pass already created it (its answer was lost).</summary>
    public async Task<bool> CreateBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket, ObjectOwnership = "BucketOwnerEnforced" }, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.BucketAlreadyOwnedByYou)
        {
            return false;
        }
    }

    /// <summary>Writes the paths of <paramref name="delta"/>, one S3 call each; the public access block first, the policy last.</summary>
    public async Task ApplyAsync(BucketDesired desired, StorageDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(delta);
        var bucket = desired.Bucket;
        if (delta.Has(StorageDelta.PublicAccessBlock))
        {
            await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = StorageRendering.PublicAccessBlock }, cancellationToken);
        }

        if (delta.Has(StorageDelta.Versioning))
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, Status = "Enabled" }, cancellationToken);
        }

        if (delta.Has(StorageDelta.Encryption))
        {
            await s3.PutBucketEncryptionAsync(StorageRendering.Encryption(bucket, desired.KeyArn), cancellationToken);
        }

        if (delta.Has(StorageDelta.Lifecycle))
        {
            await s3.PutBucketLifecycleConfigurationAsync(new PutBucketLifecycleConfigurationRequest { BucketName = bucket, Rules = [desired.Lifecycle] }, cancellationToken);
        }

        if (delta.Has(StorageDelta.Tags) && delta.MergedTags is { } tags)
        {
            await PutBucketTagsAsync(bucket, tags, cancellationToken);
        }

        if (delta.Has(StorageDelta.Policy))
        {
            await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = desired.Policy }, cancellationToken);
        }
    }

    public Task PutBucketTagsAsync(string bucket, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
        s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = [.. tags.Select(t => new S3Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);

    public Task<bool> IsBucketEmptyAsync(string bucket, CancellationToken cancellationToken) => s3.IsBucketEmptyAsync(bucket, cancellationToken);

    public Task DeleteBucketAsync(string bucket, CancellationToken cancellationToken) =>
        s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, cancellationToken);

    /// <summary>The key an alias or ARN names, or null when there is none.</summary>
    public Task<KeyMetadata?> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) => kms.DescribeOrNullAsync(keyId, cancellationToken);

    /// <summary>Rotation and tags of an existing key (two reads).</summary>
    public async Task<KeyObservation> ObserveKeyAsync(KeyMetadata key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rotation = (await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.Arn! }, cancellationToken)).KeyRotationEnabled;
        return new KeyObservation(key, rotation, await ReadKeyTagsAsync(key.Arn!, cancellationToken));
    }

    public Task<IReadOnlyList<KeyValuePair<string, string>>> ReadKeyTagsAsync(string keyArn, CancellationToken cancellationToken) => kms.TagPairsAsync(keyArn, cancellationToken);

    public async Task<KeyMetadata> CreateKeyAsync(string description, string policy, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        (await kms.CreateKeyAsync(
            new CreateKeyRequest { Description = description, Policy = policy, Tags = [.. tags.Select(t => new KmsTag { TagKey = t.Key, TagValue = t.Value })] },
            cancellationToken)).KeyMetadata!;

    public Task CreateAliasAsync(string alias, string keyArn, CancellationToken cancellationToken) =>
        kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = keyArn }, cancellationToken);

    public Task EnableRotationAsync(string keyArn, CancellationToken cancellationToken) =>
        kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyArn }, cancellationToken);

    public Task TagKeyAsync(string keyArn, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) => kms.TagAsync(keyArn, tags, cancellationToken);

}
