using OpenKbs.Aws.CloudFront.Model;

namespace OpenKbs.Aws.CloudFront;

/// <summary>
/// CloudFront (restXml, global, signed us-east-1, 2020-05-31): distributions, origin access controls and tags. Names and shapes follow
/// the official AWSSDK.CloudFront client (docs/aws.md, the official-package debt). Updates and deletes take the current ETag as
/// IfMatch (412 PreconditionFailed, Conflict, when stale). <see cref="CloudFrontDistributions"/> builds OpenKBS's S3 distribution.
/// </summary>
public interface ICloudFrontClient
{
    /// <summary>Creates a distribution (201, Status InProgress).</summary>
    Task<CreateDistributionResponse> CreateDistributionAsync(CreateDistributionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a distribution with its tags in one call.</summary>
    Task<CreateDistributionWithTagsResponse> CreateDistributionWithTagsAsync(CreateDistributionWithTagsRequest request, CancellationToken cancellationToken = default);

    /// <summary>A distribution with its status and ETag (NoSuchDistribution: NotFound).</summary>
    Task<GetDistributionResponse> GetDistributionAsync(GetDistributionRequest request, CancellationToken cancellationToken = default);

    /// <summary>A distribution's configuration and the ETag to update it with.</summary>
    Task<GetDistributionConfigResponse> GetDistributionConfigAsync(GetDistributionConfigRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces a distribution's configuration (If-Match).</summary>
    Task<UpdateDistributionResponse> UpdateDistributionAsync(UpdateDistributionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a disabled distribution (If-Match).</summary>
    Task<DeleteDistributionResponse> DeleteDistributionAsync(DeleteDistributionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every distribution of the account (all pages).</summary>
    Task<ListDistributionsResponse> ListDistributionsAsync(ListDistributionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates an origin access control.</summary>
    Task<CreateOriginAccessControlResponse> CreateOriginAccessControlAsync(CreateOriginAccessControlRequest request, CancellationToken cancellationToken = default);

    /// <summary>An origin access control and its ETag.</summary>
    Task<GetOriginAccessControlResponse> GetOriginAccessControlAsync(GetOriginAccessControlRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every origin access control of the account (all pages).</summary>
    Task<ListOriginAccessControlsResponse> ListOriginAccessControlsAsync(ListOriginAccessControlsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes an origin access control no distribution uses.</summary>
    Task<DeleteOriginAccessControlResponse> DeleteOriginAccessControlAsync(DeleteOriginAccessControlRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags on a distribution ARN.</summary>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags from a distribution ARN.</summary>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>The tags of a distribution ARN.</summary>
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);
}
