using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using Tag = OpenKbs.Aws.CloudFront.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// The CDN component's AWS side (ACK's "sdk" layer): observes the project's distribution, its tags and the account's origin access
/// controls, and applies through the CloudFront client and (for the access log bucket) the project region's S3 client, nothing else. It takes no decisions: ownership, checkpoints, the reaction
/// to a stale ETag, events and status belong to <see cref="CdnStep"/>. Reads map "not found" to null; every other AWS error
/// propagates.
/// </summary>
internal sealed class CdnManager(ICloudFrontClient cloudFront, IS3Client s3, string accountId)
{
    /// <summary>
    /// Puts the access log bucket in place (created in the project's region, or adopted when an earlier pass created it) and
    /// writes all its settings (idempotent): ACLs enabled with BucketOwnerPreferred (CloudFront's standard logging writes
    /// through the awslogsdelivery ACL grant and refuses a bucket-owner-enforced bucket; delivered files become the bucket
    /// owner's), every public access blocked, SSE-S3 default encryption, the TLS-only policy, the expiry rule, the owner tags.
    /// </summary>
    public async Task EnsureLogBucketAsync(string bucket, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        try
        {
            await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket, ObjectOwnership = "BucketOwnerPreferred" }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.BucketAlreadyOwnedByYou)
        {
        }

        await s3.PutPublicAccessBlockAsync(
            new PutPublicAccessBlockRequest
            {
                BucketName = bucket,
                PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true },
            },
            cancellationToken);
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = bucket, SSEAlgorithm = "AES256" }, cancellationToken);
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = S3BucketPolicies.TlsOnly(bucket) }, cancellationToken);
        await s3.PutBucketLifecycleConfigurationAsync(new PutBucketLifecycleConfigurationRequest { BucketName = bucket, Rules = [CdnRendering.LogLifecycle] }, cancellationToken);
        await s3.PutBucketTaggingAsync(
            new PutBucketTaggingRequest { BucketName = bucket, TagSet = [.. tags.Select(t => new OpenKbs.Aws.S3.Model.Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);
    }

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
