using KmsTag = OpenKbs.Aws.Kms.Model.Tag;
using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;
using S3Tag = OpenKbs.Aws.S3.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>
/// StorageReady: the project's KMS key (alias <see cref="ProjectNames.KeyAlias"/>, yearly rotation, owner tags; recorded
/// in <c>status.storage.kmsKeyArn</c> right after it is created) and the project bucket in the home region: versioning Enabled,
/// default encryption SSE-KMS with the project key and a bucket key, all four public access blocks, the TLS-only bucket policy
/// (plus the CloudFront OAC grant for <c>status.cdn.distributionId</c>), one lifecycle rule for noncurrent versions, owner tags.
/// Every setting is read and compared on each pass; only the paths that differ are written (the delta), so a drift check of an
/// unchanged bucket costs reads only.
/// </summary>
internal sealed partial class StorageStep(ILogger<StorageStep> logger) : IProjectStep
{
    public string Name => "storage";

    public string? ConditionType => ConditionTypes.StorageReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var storage = context.Status.Storage ??= new StorageStatus();
        var keyArn = await EnsureKeyAsync(context, storage, cancellationToken);

        var s3 = context.Aws.S3;
        var bucket = context.Names.Bucket;
        var created = false;
        IReadOnlyList<S3Tag> tags;
        try
        {
            tags = (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }, cancellationToken)).TagSet;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchBucket)
        {
            await CreateBucketAsync(context, bucket, cancellationToken);
            created = true;
            tags = [];
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchTagSet)
        {
            tags = [];
        }

        if (OwnershipTagsConflict(tags, context) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"bucket {bucket} belongs to {owner}, not to this Project (uid {context.Project.Metadata.Uid}); nothing was changed");
        }

        var delta = new StorageDelta();
        var versioning = (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken)).Status;
        if (versioning != "Enabled")
        {
            delta.Paths.Add(StorageDelta.Versioning);
        }

        var encryption = await ReadOrNullAsync(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken));
        if (encryption is not { SSEAlgorithm: "aws:kms", BucketKeyEnabled: true } || encryption.KMSMasterKeyID != keyArn)
        {
            delta.Paths.Add(StorageDelta.Encryption);
        }

        var block = (await ReadOrNullAsync(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken)))?.PublicAccessBlockConfiguration;
        if (block != StorageRendering.PublicAccessBlock)
        {
            delta.Paths.Add(StorageDelta.PublicAccessBlock);
        }

        var rule = StorageRendering.Lifecycle(context.Spec.Storage?.NoncurrentVersionRetentionDays);
        var lifecycle = await ReadOrNullAsync(() => s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken));
        if (lifecycle is null || !StorageRendering.LifecycleMatches(lifecycle.Rules, rule))
        {
            delta.Paths.Add(StorageDelta.Lifecycle);
        }

        var policy = StorageRendering.BucketPolicy(bucket, context.AccountId, context.Status.Cdn?.DistributionId);
        var currentPolicy = (await ReadOrNullAsync(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, cancellationToken)))?.Policy;
        if (!PolicyDocuments.Equivalent(currentPolicy, policy))
        {
            delta.Paths.Add(StorageDelta.Policy);
        }

        var desiredTags = ProjectTags.Merge(tags.Select(t => KeyValuePair.Create(t.Key ?? string.Empty, t.Value ?? string.Empty)), context.Tags);
        if (desiredTags is not null)
        {
            delta.Paths.Add(StorageDelta.Tags);
        }

        if (!delta.IsEmpty)
        {
            LogDelta(logger, context.Key.ToString(), bucket, delta.ToString());
            await ApplyAsync(context, bucket, keyArn, delta, rule, policy, desiredTags, cancellationToken);
            if (!created)
            {
                context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"bucket {bucket}: put back {delta}");
            }
        }

        storage.BucketName = bucket;
        storage.BucketArn = context.Names.BucketArn;
        storage.Versioning = "Enabled";
        storage.Encryption = "aws:kms";
        storage.PublicAccessBlocked = true;
        return StepOutcome.Ready(
            $"bucket {bucket} in {context.Region}: versioning, SSE-KMS with the project key, public access blocked, TLS only, noncurrent versions kept {rule.NoncurrentDays} days")
            .With(new StorageFacts(keyArn));
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s3 = context.Aws.S3;
        var bucket = context.Names.Bucket;
        var released = context.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        IReadOnlyList<S3Tag> tags;
        try
        {
            tags = (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }, cancellationToken)).TagSet;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchBucket)
        {
            return await ReleaseKeyAsync(context, released, "no bucket", cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchTagSet)
        {
            tags = [];
        }

        if (OwnershipTagsConflict(tags, context) is not null)
        {
            return await ReleaseKeyAsync(context, released, $"bucket {bucket} belongs to another owner and was left alone", cancellationToken);
        }

        if (policy == ProjectDeletionPolicy.Delete && await s3.IsBucketEmptyAsync(bucket, cancellationToken))
        {
            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, cancellationToken);
            return await ReleaseKeyAsync(context, released, $"empty bucket {bucket} deleted", cancellationToken);
        }

        if (tags.All(t => t.Key != Labels.Released))
        {
            var merged = tags.Where(t => t.Key != Labels.Released).Append(new S3Tag { Key = Labels.Released, Value = released }).ToList();
            await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = merged }, cancellationToken);
        }

        if (policy == ProjectDeletionPolicy.Delete)
        {
            context.Event(EventType.Normal, ConditionReasons.Released, $"bucket {bucket} holds data and is kept (tagged {Labels.Released}); empty it deliberately to have it deleted");
        }

        return await ReleaseKeyAsync(context, released, $"bucket {bucket} kept", cancellationToken);
    }

    /// <summary>The key is never deleted: data kept in the bucket or in snapshots would become unreadable. It is tagged released.</summary>
    private static async Task<StepOutcome> ReleaseKeyAsync(ProjectContext context, string released, string what, CancellationToken cancellationToken)
    {
        var kms = context.Aws.Kms;
        string? keyArn = context.Status.Storage?.KmsKeyArn;
        if (keyArn is null)
        {
            try
            {
                keyArn = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = context.Names.KeyAlias }, cancellationToken)).KeyMetadata?.Arn;
            }
            catch (AwsServiceException ex) when (ex.IsNotFound)
            {
                return StepOutcome.Ready($"{what}; no project key");
            }
        }

        if (keyArn is not null)
        {
            var tags = (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyArn }, cancellationToken)).Tags;
            if (tags.All(t => t.TagKey != Labels.Released))
            {
                await kms.TagResourceAsync(new TagResourceRequest { KeyId = keyArn, Tags = [new KmsTag { TagKey = Labels.Released, TagValue = released }] }, cancellationToken);
            }
        }

        return StepOutcome.Ready($"{what}; the project key is kept (tagged {Labels.Released})");
    }

    private static async Task<string> EnsureKeyAsync(ProjectContext context, StorageStatus storage, CancellationToken cancellationToken)
    {
        var kms = context.Aws.Kms;
        KeyMetadata? key = null;
        try
        {
            key = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = context.Names.KeyAlias }, cancellationToken)).KeyMetadata;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        if (key?.Arn is null)
        {
            if (storage.KmsKeyArn is null)
            {
                key = (await kms.CreateKeyAsync(
                    new CreateKeyRequest
                    {
                        Description = $"OpenKBS project {context.Key}: bucket encryption and sealed function settings",
                        Policy = StorageRendering.KeyPolicy(context.AccountId),
                        Tags = [.. context.Tags.Select(t => new KmsTag { TagKey = t.Key, TagValue = t.Value })],
                    },
                    cancellationToken)).KeyMetadata;

                // Checkpoint before the alias: a restart finds the key through status and never creates a second one.
                storage.KmsKeyArn = key!.Arn;
                await context.SaveStatusAsync(cancellationToken);
            }

            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = context.Names.KeyAlias, TargetKeyId = storage.KmsKeyArn! }, cancellationToken);
            key = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = storage.KmsKeyArn! }, cancellationToken)).KeyMetadata;
        }

        var arn = key!.Arn!;
        storage.KmsKeyArn = arn;
        if (!(await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = arn }, cancellationToken)).KeyRotationEnabled)
        {
            await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = arn }, cancellationToken);
        }

        var tags = (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = arn }, cancellationToken)).Tags;
        var current = tags.Select(t => KeyValuePair.Create(t.TagKey ?? string.Empty, t.TagValue ?? string.Empty)).ToList();
        if (ProjectTags.Merge(current, context.Tags) is not null)
        {
            var missing = context.Tags.Where(t => OwnershipTagValue(current, t.Key) != t.Value).Select(t => new KmsTag { TagKey = t.Key, TagValue = t.Value }).ToList();
            if (missing.Count > 0)
            {
                await kms.TagResourceAsync(new TagResourceRequest { KeyId = arn, Tags = missing }, cancellationToken);
            }
        }

        return arn;
    }

    private static async Task CreateBucketAsync(ProjectContext context, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await context.Aws.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket, ObjectOwnership = "BucketOwnerEnforced" }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.BucketAlreadyOwnedByYou)
        {
            // An earlier pass created it (its answer was lost): ours.
        }

        context.Event(EventType.Normal, ConditionReasons.Creating, $"bucket {bucket} created in {context.Region}");
    }

    private static async Task ApplyAsync(
        ProjectContext context,
        string bucket,
        string keyArn,
        StorageDelta delta,
        LifecycleRule rule,
        string policy,
        IReadOnlyDictionary<string, string>? tags,
        CancellationToken cancellationToken)
    {
        var s3 = context.Aws.S3;
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
            await s3.PutBucketEncryptionAsync(StorageRendering.Encryption(bucket, keyArn), cancellationToken);
        }

        if (delta.Has(StorageDelta.Lifecycle))
        {
            await s3.PutBucketLifecycleConfigurationAsync(new PutBucketLifecycleConfigurationRequest { BucketName = bucket, Rules = [rule] }, cancellationToken);
        }

        if (delta.Has(StorageDelta.Tags) && tags is not null)
        {
            await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = [.. tags.Select(t => new S3Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);
        }

        if (delta.Has(StorageDelta.Policy))
        {
            await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy }, cancellationToken);
        }
    }

    /// <summary>The owner named by a uid tag that is not this Project's, or null.</summary>
    private static string? OwnershipTagsConflict(IReadOnlyList<S3Tag> tags, ProjectContext context)
    {
        var uid = tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value;
        return uid is not null && uid != context.Project.Metadata.Uid
            ? tags.FirstOrDefault(t => t.Key == Labels.Owner)?.Value ?? $"uid {uid}"
            : null;
    }

    private static string? OwnershipTagValue(IEnumerable<KeyValuePair<string, string>> tags, string key) =>
        tags.FirstOrDefault(t => t.Key == key).Value;

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (AwsServiceException ex) when (ex.IsNotFound && ex.ErrorCode != AwsErrorCode.NoSuchBucket)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: bucket {Bucket} differs in {Delta}; writing only those")]
    private static partial void LogDelta(ILogger logger, string key, string bucket, string delta);
}
