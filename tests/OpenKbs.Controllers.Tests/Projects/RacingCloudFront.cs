using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Rds;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Scheduler;
using OpenKbs.Aws.Sts;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// The real CloudFront client with one race: just before the operator's first UpdateDistribution reaches AWS, <c>race</c> runs
/// (someone else updates the distribution), so the operator's If-Match is stale and the realism layer answers 412. Everything else
/// goes to the real clients unchanged.
/// </summary>
internal sealed class RacingCloudFront(IMemberAccountClients inner, Func<Task> race) : ICloudFrontClient, IMemberAccountClients
{
    private readonly ICloudFrontClient _cloudFront = inner.CloudFront;
    private int _raced;

    public bool Raced => _raced == 1;

    public string AccountId => inner.AccountId;

    public string Region => inner.Region;

    public IIamClient Iam => inner.Iam;

    public ILambdaClient Lambda => inner.Lambda;

    public IRdsClient Rds => inner.Rds;

    public ICloudFrontClient CloudFront => this;

    public ISchedulerClient Scheduler => inner.Scheduler;

    public IIotClient IoT => inner.IoT;

    public ICloudWatchClient CloudWatch => inner.CloudWatch;

    public IS3Client S3 => inner.S3;

    public IKmsClient Kms => inner.Kms;

    public IStsClient Sts => inner.Sts;

    public async Task<UpdateDistributionResponse> UpdateDistributionAsync(UpdateDistributionRequest request, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _raced, 1) == 0)
        {
            await race();
        }

        return await _cloudFront.UpdateDistributionAsync(request, cancellationToken);
    }

    public Task<CreateDistributionResponse> CreateDistributionAsync(CreateDistributionRequest request, CancellationToken cancellationToken = default) => _cloudFront.CreateDistributionAsync(request, cancellationToken);

    public Task<CreateDistributionWithTagsResponse> CreateDistributionWithTagsAsync(CreateDistributionWithTagsRequest request, CancellationToken cancellationToken = default) => _cloudFront.CreateDistributionWithTagsAsync(request, cancellationToken);

    public Task<GetDistributionResponse> GetDistributionAsync(GetDistributionRequest request, CancellationToken cancellationToken = default) => _cloudFront.GetDistributionAsync(request, cancellationToken);

    public Task<GetDistributionConfigResponse> GetDistributionConfigAsync(GetDistributionConfigRequest request, CancellationToken cancellationToken = default) => _cloudFront.GetDistributionConfigAsync(request, cancellationToken);

    public Task<DeleteDistributionResponse> DeleteDistributionAsync(DeleteDistributionRequest request, CancellationToken cancellationToken = default) => _cloudFront.DeleteDistributionAsync(request, cancellationToken);

    public Task<ListDistributionsResponse> ListDistributionsAsync(ListDistributionsRequest request, CancellationToken cancellationToken = default) => _cloudFront.ListDistributionsAsync(request, cancellationToken);

    public Task<CreateOriginAccessControlResponse> CreateOriginAccessControlAsync(CreateOriginAccessControlRequest request, CancellationToken cancellationToken = default) => _cloudFront.CreateOriginAccessControlAsync(request, cancellationToken);

    public Task<GetOriginAccessControlResponse> GetOriginAccessControlAsync(GetOriginAccessControlRequest request, CancellationToken cancellationToken = default) => _cloudFront.GetOriginAccessControlAsync(request, cancellationToken);

    public Task<ListOriginAccessControlsResponse> ListOriginAccessControlsAsync(ListOriginAccessControlsRequest request, CancellationToken cancellationToken = default) => _cloudFront.ListOriginAccessControlsAsync(request, cancellationToken);

    public Task<DeleteOriginAccessControlResponse> DeleteOriginAccessControlAsync(DeleteOriginAccessControlRequest request, CancellationToken cancellationToken = default) => _cloudFront.DeleteOriginAccessControlAsync(request, cancellationToken);

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) => _cloudFront.TagResourceAsync(request, cancellationToken);

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) => _cloudFront.UntagResourceAsync(request, cancellationToken);

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default) => _cloudFront.ListTagsForResourceAsync(request, cancellationToken);
}
