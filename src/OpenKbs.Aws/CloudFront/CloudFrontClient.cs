using System.Text.RegularExpressions;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Protocols;

namespace OpenKbs.Aws.CloudFront;

/// <summary>
/// The hand-written CloudFront client (restXml over the shared pipeline; global, signed us-east-1). ETag and Location come from
/// the response headers. S3 origins are checked by the EU guard through the region in their domain name
/// (<c>{bucket}.s3.{region}.amazonaws.com</c>), so a distribution can only front buckets in allowed regions.
/// </summary>
internal sealed partial class CloudFrontClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), ICloudFrontClient
{
    private const string Root = "/2020-05-31";

    private static readonly AwsService Service = AwsServices.CloudFront;

    /// <summary>What CloudFront needs of the caller to enable standard logging into a bucket (it edits the bucket's ACL).</summary>
    private static readonly string[] LogBucketAcl = ["s3:GetBucketAcl", "s3:PutBucketAcl"];

    // CreateDistributionWithTags has no IAM action of its own: AWS authorizes it as CreateDistribution plus TagResource. A
    // config with standard logging makes CloudFront grant its log delivery account (awslogsdelivery) FULL_CONTROL in the log
    // bucket's ACL with the caller's permissions: s3:GetBucketAcl and s3:PutBucketAcl on that bucket.
    internal static readonly AwsOperation CreateDistribution = AwsOperation.Write(Service, nameof(CreateDistribution)) with { Iam = ["cloudfront:CreateDistribution", .. LogBucketAcl] };
    internal static readonly AwsOperation CreateDistributionWithTags = AwsOperation.Write(Service, nameof(CreateDistributionWithTags)) with { Iam = ["cloudfront:CreateDistribution", "cloudfront:TagResource", .. LogBucketAcl] };
    internal static readonly AwsOperation GetDistribution = AwsOperation.Read(Service, nameof(GetDistribution));
    internal static readonly AwsOperation GetDistributionConfig = AwsOperation.Read(Service, nameof(GetDistributionConfig));
    internal static readonly AwsOperation UpdateDistribution = AwsOperation.Write(Service, nameof(UpdateDistribution)) with { Iam = ["cloudfront:UpdateDistribution", .. LogBucketAcl] };
    internal static readonly AwsOperation DeleteDistribution = AwsOperation.Write(Service, nameof(DeleteDistribution));
    internal static readonly AwsOperation ListDistributions = AwsOperation.Read(Service, nameof(ListDistributions));
    internal static readonly AwsOperation CreateOriginAccessControl = AwsOperation.Write(Service, nameof(CreateOriginAccessControl));
    internal static readonly AwsOperation GetOriginAccessControl = AwsOperation.Read(Service, nameof(GetOriginAccessControl));
    internal static readonly AwsOperation ListOriginAccessControls = AwsOperation.Read(Service, nameof(ListOriginAccessControls));
    internal static readonly AwsOperation DeleteOriginAccessControl = AwsOperation.Write(Service, nameof(DeleteOriginAccessControl));
    internal static readonly AwsOperation TagResource = AwsOperation.Write(Service, nameof(TagResource));
    internal static readonly AwsOperation UntagResource = AwsOperation.Write(Service, nameof(UntagResource));
    internal static readonly AwsOperation ListTagsForResource = AwsOperation.Read(Service, nameof(ListTagsForResource));

    public Task<CreateDistributionResponse> CreateDistributionAsync(CreateDistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            CreateDistribution,
            HttpMethod.Post,
            Root + "/distribution",
            Payload(request.DistributionConfig, "DistributionConfig"),
            Audit(null, d => Describe(d, request.DistributionConfig, null)),
            cancellationToken,
            read: r => new CreateDistributionResponse { Distribution = Body<Distribution>(r), ETag = r.Header("ETag"), Location = r.Header("Location") },
            resourceFromResult: r => CanonicalArn(r.Distribution?.ARN),
            guardedArns: OriginRegions(request.DistributionConfig));
    }

    public Task<CreateDistributionWithTagsResponse> CreateDistributionWithTagsAsync(CreateDistributionWithTagsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.DistributionConfigWithTags.DistributionConfig;
        return RestXmlAsync(
            CreateDistributionWithTags,
            HttpMethod.Post,
            Root + "/distribution",
            Payload(request.DistributionConfigWithTags, "DistributionConfigWithTags"),
            Audit(null, d => Describe(d, config, request.DistributionConfigWithTags.Tags)),
            cancellationToken,
            query: [new("WithTags", string.Empty)],
            read: r => new CreateDistributionWithTagsResponse { Distribution = Body<Distribution>(r), ETag = r.Header("ETag"), Location = r.Header("Location") },
            resourceFromResult: r => CanonicalArn(r.Distribution?.ARN),
            guardedArns: OriginRegions(config));
    }

    public Task<GetDistributionResponse> GetDistributionAsync(GetDistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            GetDistribution,
            HttpMethod.Get,
            DistributionPath(request.Id),
            null,
            null,
            cancellationToken,
            read: r => new GetDistributionResponse { Distribution = Body<Distribution>(r), ETag = r.Header("ETag") });
    }

    public Task<GetDistributionConfigResponse> GetDistributionConfigAsync(GetDistributionConfigRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            GetDistributionConfig,
            HttpMethod.Get,
            DistributionPath(request.Id) + "/config",
            null,
            null,
            cancellationToken,
            read: r => new GetDistributionConfigResponse { DistributionConfig = Body<DistributionConfig>(r), ETag = r.Header("ETag") });
    }

    public Task<UpdateDistributionResponse> UpdateDistributionAsync(UpdateDistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            UpdateDistribution,
            HttpMethod.Put,
            DistributionPath(request.Id) + "/config",
            Payload(request.DistributionConfig, "DistributionConfig"),
            Audit(DistributionArn(request.Id), d => Describe(d, request.DistributionConfig, null).Add("IfMatch", request.IfMatch)),
            cancellationToken,
            headers: [new("If-Match", request.IfMatch)],
            read: r => new UpdateDistributionResponse { Distribution = Body<Distribution>(r), ETag = r.Header("ETag") },
            resourceFromResult: r => CanonicalArn(r.Distribution?.ARN),
            guardedArns: OriginRegions(request.DistributionConfig));
    }

    public Task<DeleteDistributionResponse> DeleteDistributionAsync(DeleteDistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            DeleteDistribution,
            HttpMethod.Delete,
            DistributionPath(request.Id),
            null,
            Audit(DistributionArn(request.Id), d => d.Add("IfMatch", request.IfMatch)),
            cancellationToken,
            headers: [new("If-Match", request.IfMatch)],
            read: _ => new DeleteDistributionResponse());
    }

    public async Task<ListDistributionsResponse> ListDistributionsAsync(ListDistributionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        DistributionList? last = null;
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListDistributions.Name,
            async marker =>
            {
                last = await RestXmlAsync(
                    ListDistributions, HttpMethod.Get, Root + "/distribution", null, null, cancellationToken, query: AwsPagination.MarkerQuery(marker, request.MaxItems), read: Body<DistributionList>);
                return last;
            },
            page => page.Items,
            page => page.IsTruncated == true ? page.NextMarker : null);
        return new ListDistributionsResponse { DistributionList = (last ?? new DistributionList()) with { Items = all, Quantity = all.Count, IsTruncated = false, NextMarker = null } };
    }

    public Task<CreateOriginAccessControlResponse> CreateOriginAccessControlAsync(CreateOriginAccessControlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.OriginAccessControlConfig;
        return RestXmlAsync(
            CreateOriginAccessControl,
            HttpMethod.Post,
            Root + "/origin-access-control",
            Payload(config, "OriginAccessControlConfig"),
            Audit(
                null,
                d => d.Add("Name", config.Name).Add("SigningProtocol", config.SigningProtocol).Add("SigningBehavior", config.SigningBehavior)
                    .Add("OriginAccessControlOriginType", config.OriginAccessControlOriginType)),
            cancellationToken,
            read: r => new CreateOriginAccessControlResponse { OriginAccessControl = Body<OriginAccessControl>(r), ETag = r.Header("ETag"), Location = r.Header("Location") },
            resourceFromResult: r => r.OriginAccessControl?.Id is { } id ? "origin-access-control/" + id : null);
    }

    public Task<GetOriginAccessControlResponse> GetOriginAccessControlAsync(GetOriginAccessControlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            GetOriginAccessControl,
            HttpMethod.Get,
            Root + "/origin-access-control/" + RestJsonCodec.Label(request.Id),
            null,
            null,
            cancellationToken,
            read: r => new GetOriginAccessControlResponse { OriginAccessControl = Body<OriginAccessControl>(r), ETag = r.Header("ETag") });
    }

    public async Task<ListOriginAccessControlsResponse> ListOriginAccessControlsAsync(ListOriginAccessControlsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        OriginAccessControlList? last = null;
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            ListOriginAccessControls.Name,
            async marker =>
            {
                last = await RestXmlAsync(
                    ListOriginAccessControls, HttpMethod.Get, Root + "/origin-access-control", null, null, cancellationToken, query: AwsPagination.MarkerQuery(marker, request.MaxItems), read: Body<OriginAccessControlList>);
                return last;
            },
            page => page.Items,
            page => page.IsTruncated == true ? page.NextMarker : null);
        return new ListOriginAccessControlsResponse
        {
            OriginAccessControlList = (last ?? new OriginAccessControlList()) with { Items = all, Quantity = all.Count, IsTruncated = false, NextMarker = null },
        };
    }

    public Task<DeleteOriginAccessControlResponse> DeleteOriginAccessControlAsync(DeleteOriginAccessControlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            DeleteOriginAccessControl,
            HttpMethod.Delete,
            Root + "/origin-access-control/" + RestJsonCodec.Label(request.Id),
            null,
            Audit("origin-access-control/" + request.Id, d => d.Add("IfMatch", request.IfMatch)),
            cancellationToken,
            headers: request.IfMatch is null ? null : [new("If-Match", request.IfMatch)],
            read: _ => new DeleteOriginAccessControlResponse());
    }

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            TagResource,
            HttpMethod.Post,
            Root + "/tagging",
            Payload(request.Tags, "Tags"),
            Audit(CanonicalArn(request.Resource), d => d.Add("Tags", request.Tags.Items?.Select(t => $"{t.Key}={t.Value}"))),
            cancellationToken,
            query: [new("Operation", "Tag"), new("Resource", request.Resource)],
            read: _ => new TagResourceResponse());
    }

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            UntagResource,
            HttpMethod.Post,
            Root + "/tagging",
            Payload(request.TagKeys, "TagKeys"),
            Audit(CanonicalArn(request.Resource), d => d.Add("TagKeys", request.TagKeys.Items)),
            cancellationToken,
            query: [new("Operation", "Untag"), new("Resource", request.Resource)],
            read: _ => new UntagResourceResponse());
    }

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestXmlAsync(
            ListTagsForResource,
            HttpMethod.Get,
            Root + "/tagging",
            null,
            null,
            cancellationToken,
            query: [new("Resource", request.Resource)],
            read: r => new ListTagsForResourceResponse { Tags = Body<Tags>(r) });
    }

    /// <summary>
    /// CloudFront ARNs have an empty region field (<c>arn:aws:cloudfront::{account}:distribution/{id}</c>); moto 5.2.1 omits the
    /// field (<c>arn:aws:cloudfront:{account}:…</c>), which would read as a region. The audit trail (and the guard) use the AWS form;
    /// the request itself carries the ARN as given.
    /// </summary>
    internal static string? CanonicalArn(string? arn)
    {
        var match = arn is null ? null : MissingRegionField().Match(arn);
        return match is { Success: true } ? $"arn:{match.Groups["partition"].Value}:cloudfront::{match.Groups["account"].Value}:{match.Groups["rest"].Value}" : arn;
    }

    /// <summary>Pseudo-ARNs carrying the region of each S3 origin (<c>{bucket}.s3.{region}.amazonaws.com</c>) for the EU guard.</summary>
    internal static IEnumerable<string?> OriginRegions(DistributionConfig? config)
    {
        foreach (var origin in config?.Origins?.Items ?? [])
        {
            var match = origin.DomainName is null ? null : S3RegionalDomain().Match(origin.DomainName);
            if (match is { Success: true })
            {
                yield return $"arn:aws:s3:{match.Groups["region"].Value}:::{match.Groups["bucket"].Value}";
            }
        }
    }

    private static System.Xml.Linq.XElement Payload(object value, string root) => XmlShapeWriter.Write(value, root, Service.XmlNamespace);

    private static T Body<T>(AwsWireResponse response)
        where T : new() => RestXmlCodec.ReadBody<T>(response);

    private static string DistributionPath(string id) => Root + "/distribution/" + RestJsonCodec.Label(id);


    private static Audit.AuditDetails Describe(Audit.AuditDetails details, DistributionConfig? config, Tags? tags) =>
        details.Add("CallerReference", config?.CallerReference).Add("Comment", config?.Comment).Add("Enabled", config?.Enabled)
            .Add("PriceClass", config?.PriceClass).Add("HttpVersion", config?.HttpVersion)
            .Add("Aliases", config?.Aliases?.Items)
            .Add("Origins", config?.Origins?.Items?.Select(o => $"{o.Id}={o.DomainName}" + (o.OriginAccessControlId is null ? string.Empty : $" oac={o.OriginAccessControlId}")))
            .Add("ViewerProtocolPolicy", config?.DefaultCacheBehavior?.ViewerProtocolPolicy)
            .Add("CachePolicyId", config?.DefaultCacheBehavior?.CachePolicyId)
            .Add("CloudFrontDefaultCertificate", config?.ViewerCertificate?.CloudFrontDefaultCertificate)
            .Add("ACMCertificateArn", config?.ViewerCertificate?.ACMCertificateArn)
            .Add("MinimumProtocolVersion", config?.ViewerCertificate?.MinimumProtocolVersion)
            .Add("GeoRestriction", config?.Restrictions?.GeoRestriction is { } geo ? $"{geo.RestrictionType}:{string.Join(',', geo.Items ?? [])}" : null)
            .Add("WebACLId", config?.WebACLId)
            .Add("Logging", config?.Logging is { } log ? (log.Enabled ? $"{log.Bucket}/{log.Prefix}" : "off") : null)
            .Add("TagKeys", tags?.Items?.Select(t => t.Key ?? string.Empty));

    /// <summary>CloudFront ARNs have no region: <c>arn:aws:cloudfront::{account}:distribution/{id}</c>.</summary>
    private string DistributionArn(string id) =>
        Scope.AccountId is null ? "distribution/" + id : $"arn:aws:cloudfront::{Scope.AccountId}:distribution/{id}";

    [GeneratedRegex(@"^arn:(?<partition>[a-z-]+):cloudfront:(?<account>\d{12}):(?<rest>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRegionField();

    [GeneratedRegex(@"^(?<bucket>[a-z0-9][a-z0-9.-]*)\.s3[.-](?<region>[a-z]{2}(-[a-z]+)+-\d)\.amazonaws\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex S3RegionalDomain();
}
