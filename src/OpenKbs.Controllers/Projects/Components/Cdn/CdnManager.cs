using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects.Components.Storage;
using Tag = OpenKbs.Aws.CloudFront.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The CDN component's AWS side (ACK's "sdk" layer): observes the project's distribution, its tags and the account's origin access
/// controls, and applies through the CloudFront client and (for the access log bucket: <see cref="LogBucketDelta"/>) the project region's S3 client, nothing else. It takes no decisions: ownership, checkpoints, the reaction
/// to a stale ETag, events and status belong to <see cref="CdnStep"/>. Reads map "not found" to null; every other AWS error
/// propagates.
/// </summary>
internal sealed class CdnManager(ICloudFrontClient cloudFront, IS3Client s3, string accountId)
{
    /// <summary>
    /// Reads every setting of the access log bucket the operator manages (seven reads; one when the bucket does not exist):
    /// tags, Object Ownership, default encryption, public access block, lifecycle, policy and ACL.
    /// </summary>
    public async Task<LogBucketObservation> ObserveLogBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        if (await s3.ReadBucketTagsAsync(bucket, cancellationToken) is not { } tags)
        {
            return LogBucketObservation.Missing;
        }

        return new LogBucketObservation(
            Exists: true,
            tags,
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }, cancellationToken)))?.ObjectOwnership,
            await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken)),
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken)))?.PublicAccessBlockConfiguration,
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken)))?.Rules,
            (await S3ClientExtensions.SettingOrNullAsync(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, cancellationToken)))?.Policy,
            await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, cancellationToken));
    }

    /// <summary>
    /// Creates the access log bucket in the project's region with ACLs enabled (<see cref="CdnRendering.LogBucketOwnership"/>:
    /// CloudFront's standard logging writes through the awslogsdelivery ACL grant and refuses a bucket-owner-enforced bucket;
    /// delivered files become the bucket owner's); false when an earlier pass already created it (its answer was lost).
    /// </summary>
    public async Task<bool> CreateLogBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket, ObjectOwnership = CdnRendering.LogBucketOwnership }, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.BucketAlreadyOwnedByYou)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the paths of <paramref name="delta"/>, one S3 call each: Object Ownership first (S3 refuses ACL writes under
    /// BucketOwnerEnforced), the public access block, encryption, the ACL (the bucket owner and CloudFront's log delivery,
    /// <paramref name="ownerId"/> or, when unknown, the owner a GetBucketAcl names), lifecycle, tags, the policy last.
    /// </summary>
    public async Task ApplyLogBucketAsync(LogBucketDesired desired, LogBucketDelta delta, string? ownerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(delta);
        var bucket = desired.Bucket;
        if (delta.Has(LogBucketDelta.ObjectOwnership))
        {
            await s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest { BucketName = bucket, ObjectOwnership = CdnRendering.LogBucketOwnership }, cancellationToken);
        }

        if (delta.Has(LogBucketDelta.PublicAccessBlock))
        {
            await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = StorageRendering.PublicAccessBlock }, cancellationToken);
        }

        if (delta.Has(LogBucketDelta.Encryption))
        {
            await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = bucket, SSEAlgorithm = CdnRendering.LogBucketEncryption }, cancellationToken);
        }

        if (delta.Has(LogBucketDelta.Acl))
        {
            var owner = ownerId ?? (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, cancellationToken)).OwnerId
                ?? throw new InvalidOperationException($"S3 names no owner in the ACL of bucket {bucket}");
            await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, Grants = CdnRendering.LogBucketGrants(owner) }, cancellationToken);
        }

        if (delta.Has(LogBucketDelta.Lifecycle))
        {
            await s3.PutBucketLifecycleConfigurationAsync(new PutBucketLifecycleConfigurationRequest { BucketName = bucket, Rules = [CdnRendering.LogLifecycle] }, cancellationToken);
        }

        if (delta.Has(LogBucketDelta.Tags) && delta.MergedTags is { } tags)
        {
            await PutLogBucketTagsAsync(bucket, tags, cancellationToken);
        }

        if (delta.Has(LogBucketDelta.Policy))
        {
            await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = desired.Policy }, cancellationToken);
        }
    }

    /// <summary>The log bucket's tags (empty when it has none), or null when there is no log bucket.</summary>
    public Task<IReadOnlyList<OpenKbs.Aws.S3.Model.Tag>?> ReadLogBucketTagsAsync(string bucket, CancellationToken cancellationToken) => s3.ReadBucketTagsAsync(bucket, cancellationToken);

    public Task<bool> IsLogBucketEmptyAsync(string bucket, CancellationToken cancellationToken) => s3.IsBucketEmptyAsync(bucket, cancellationToken);

    /// <summary>Deletes the (empty) log bucket; BucketNotEmpty (Conflict) propagates.</summary>
    public Task DeleteLogBucketAsync(string bucket, CancellationToken cancellationToken) => s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, cancellationToken);

    /// <summary>Replaces the log bucket's whole tag set (S3 has no single-tag write).</summary>
    public Task PutLogBucketTagsAsync(string bucket, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
        s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = [.. tags.Select(t => new OpenKbs.Aws.S3.Model.Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);

    /// <summary>
    /// The distribution by <paramref name="knownId"/>, else by <paramref name="comment"/> (ListDistributions: an earlier create's
    /// answer was lost), with its ETag and tags: GetDistribution and ListTagsForResource, plus the list without an id.
    /// </summary>
    public async Task<CdnObservation> ObserveAsync(string? knownId, string comment, CancellationToken cancellationToken)
    {
        var id = knownId;
        if (id is null)
        {
            id = (await cloudFront.ListDistributionsAsync(new ListDistributionsRequest(), cancellationToken)).DistributionList?.Items?
                .FirstOrDefault(d => d.Comment == comment)?.Id;
            if (id is null)
            {
                return CdnObservation.Missing;
            }
        }

        GetDistributionResponse found;
        try
        {
            found = await cloudFront.GetDistributionAsync(new GetDistributionRequest { Id = id }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return CdnObservation.Gone;
        }

        var tags = (await cloudFront.ListTagsForResourceAsync(new ListTagsForResourceRequest { Resource = Arn(found.Distribution!.Id!) }, cancellationToken)).Tags?.Items ?? [];
        return new CdnObservation(found.Distribution, found.ETag, tags, null);
    }

    /// <summary>The account's origin access controls (one ListOriginAccessControls, for every name the step looks up in this pass).</summary>
    public async Task<CdnObservation> ObserveOriginAccessControlsAsync(CdnObservation observed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return observed with { OriginAccessControls = await ListOriginAccessControlsAsync(cancellationToken) };
    }

    /// <summary>Creates the origin access control and returns its id (an earlier pass's, when that one's answer was lost).</summary>
    public async Task<string> CreateOriginAccessControlAsync(OriginAccessControlConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return (await cloudFront.CreateOriginAccessControlAsync(new CreateOriginAccessControlRequest { OriginAccessControlConfig = config }, cancellationToken))
                .OriginAccessControl!.Id!;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.OriginAccessControlAlreadyExists)
        {
            return (await ListOriginAccessControlsAsync(cancellationToken)).First(o => o.Name == config.Name).Id!;
        }
    }

    /// <summary>Deletes the origin access control (with the ETag of a fresh read); nothing when it is gone already. A conflict (still in use) propagates.</summary>
    public async Task DeleteOriginAccessControlAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var current = await cloudFront.GetOriginAccessControlAsync(new GetOriginAccessControlRequest { Id = id }, cancellationToken);
            await cloudFront.DeleteOriginAccessControlAsync(new DeleteOriginAccessControlRequest { Id = id, IfMatch = current.ETag }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }
    }

    /// <summary>Creates the distribution with its owner tags. When an earlier create's answer was lost (the CallerReference is
    /// ours) there is no distribution and the existing id AWS names, if it names one.</summary>
    public async Task<(Distribution? Created, string? ExistingId)> CreateAsync(CdnDesired desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        try
        {
            var created = (await cloudFront.CreateDistributionWithTagsAsync(
                new CreateDistributionWithTagsRequest
                {
                    DistributionConfigWithTags = new DistributionConfigWithTags
                    {
                        DistributionConfig = desired.Config,
                        Tags = new Tags { Items = [.. desired.OwnerTags.Select(t => new Tag { Key = t.Key, Value = t.Value })] },
                    },
                },
                cancellationToken)).Distribution!;
            return (created, null);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.DistributionAlreadyExists)
        {
            return (null, ExistingId(ex.AwsMessage));
        }
    }

    /// <summary>One UpdateDistribution with If-Match <paramref name="etag"/> (a stale ETag propagates: PreconditionFailed).</summary>
    public async Task<Distribution?> UpdateAsync(string id, string etag, DistributionConfig config, CancellationToken cancellationToken) =>
        (await cloudFront.UpdateDistributionAsync(new UpdateDistributionRequest { Id = id, IfMatch = etag, DistributionConfig = config }, cancellationToken)).Distribution;

    public Task DeleteAsync(string id, string etag, CancellationToken cancellationToken) =>
        cloudFront.DeleteDistributionAsync(new DeleteDistributionRequest { Id = id, IfMatch = etag }, cancellationToken);

    /// <summary>Writes the delta's tags: the missing owner tags, then the released tag removed.</summary>
    public async Task ApplyTagsAsync(string id, CdnDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.MissingTags.Count > 0)
        {
            await cloudFront.TagResourceAsync(
                new TagResourceRequest { Resource = Arn(id), Tags = new Tags { Items = [.. delta.MissingTags.Select(t => new Tag { Key = t.Key, Value = t.Value })] } }, cancellationToken);
        }

        if (delta.Unrelease)
        {
            await cloudFront.UntagResourceAsync(new UntagResourceRequest { Resource = Arn(id), TagKeys = new TagKeys { Items = [OpenKbs.Api.Labels.Released] } }, cancellationToken);
        }
    }

    public Task TagAsync(string id, string key, string value, CancellationToken cancellationToken) =>
        cloudFront.TagResourceAsync(new TagResourceRequest { Resource = Arn(id), Tags = new Tags { Items = [new Tag { Key = key, Value = value }] } }, cancellationToken);

    /// <summary>The id AWS names in a DistributionAlreadyExists message (<c>... Already exists: E2QWRUHEXAMPLE</c>).</summary>
    internal static string? ExistingId(string? message)
    {
        const string marker = "Already exists: ";
        var at = message?.LastIndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }

        var id = new string([.. message![(at + marker.Length)..].TakeWhile(char.IsAsciiLetterOrDigit)]);
        return id.Length > 0 ? id : null;
    }

    private string Arn(string id) => $"arn:aws:cloudfront::{accountId}:distribution/{id}";

    private async Task<IReadOnlyList<OriginAccessControlSummary>> ListOriginAccessControlsAsync(CancellationToken cancellationToken) =>
        (await cloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest(), cancellationToken)).OriginAccessControlList?.Items ?? [];
}
