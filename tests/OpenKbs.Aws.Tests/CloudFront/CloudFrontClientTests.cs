using OpenKbs.Aws.Audit;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Regions;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.CloudFront;

[Collection(MotoCollection.Name)]
public sealed class CloudFrontClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Distribution_and_origin_access_control_lifecycle_against_moto()
    {
        using var host = new AwsTestHost(moto);
        var cloudFront = Members.In(host).CloudFront;

        var oac = (await cloudFront.CreateOriginAccessControlAsync(new CreateOriginAccessControlRequest { OriginAccessControlConfig = Oac("shop-oac") })).OriginAccessControl!;
        Assert.False(string.IsNullOrEmpty(oac.Id));
        var oacGot = await cloudFront.GetOriginAccessControlAsync(new GetOriginAccessControlRequest { Id = oac.Id! });
        Assert.Equal("sigv4", oacGot.OriginAccessControl!.OriginAccessControlConfig!.SigningProtocol);
        Assert.False(string.IsNullOrEmpty(oacGot.ETag));
        Assert.Equal(oac.Id, Assert.Single((await cloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest())).OriginAccessControlList!.Items!).Id);

        var config = CloudFrontDistributions.ForS3Origin(Spec(oac.Id!));
        var created = await cloudFront.CreateDistributionWithTagsAsync(new CreateDistributionWithTagsRequest
        {
            DistributionConfigWithTags = new DistributionConfigWithTags
            {
                DistributionConfig = config,
                Tags = new Tags { Items = [new Tag { Key = "openkbs.com/uid", Value = "uid-shop" }] },
            },
        });
        var distribution = created.Distribution!;
        Assert.Equal("InProgress", distribution.Status);
        Assert.False(string.IsNullOrEmpty(created.ETag));
        Assert.EndsWith("/2020-05-31/distribution/" + distribution.Id, created.Location, StringComparison.Ordinal);
        Assert.EndsWith($"123456789012:distribution/{distribution.Id}", distribution.ARN, StringComparison.Ordinal); // moto drops the empty region field
        var arn = $"arn:aws:cloudfront::123456789012:distribution/{distribution.Id}";

        // Idempotent creation: the same CallerReference answers DistributionAlreadyExists naming the existing distribution.
        var again = await Assert.ThrowsAsync<AwsServiceException>(() => cloudFront.CreateDistributionAsync(new CreateDistributionRequest { DistributionConfig = config }));
        Assert.Equal("DistributionAlreadyExists", again.ErrorCode);
        Assert.True(again.IsConflict);
        Assert.Contains(distribution.Id!, again.AwsMessage, StringComparison.Ordinal);

        var current = await cloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = distribution.Id! });
        Assert.Equal(config.CallerReference, current.DistributionConfig!.CallerReference);
        Assert.Equal("redirect-to-https", current.DistributionConfig.DefaultCacheBehavior!.ViewerProtocolPolicy);
        Assert.Equal("PriceClass_100", current.DistributionConfig.PriceClass);
        Assert.Equal("TLSv1.2_2021", current.DistributionConfig.ViewerCertificate!.MinimumProtocolVersion);
        Assert.Equal("shop-assets.s3.eu-central-1.amazonaws.com", Assert.Single(current.DistributionConfig.Origins!.Items!).DomainName);
        Assert.False(string.IsNullOrEmpty(current.ETag));

        var disabled = await cloudFront.UpdateDistributionAsync(new UpdateDistributionRequest
        {
            Id = distribution.Id!,
            IfMatch = current.ETag!,
            DistributionConfig = config with { Enabled = false, Comment = "released" },
        });
        Assert.False(disabled.Distribution!.DistributionConfig!.Enabled);
        var got = await cloudFront.GetDistributionAsync(new GetDistributionRequest { Id = distribution.Id! });
        Assert.Equal("released", got.Distribution!.DistributionConfig!.Comment);
        Assert.False(string.IsNullOrEmpty(got.ETag));

        Assert.Equal(distribution.Id, Assert.Single((await cloudFront.ListDistributionsAsync(new ListDistributionsRequest())).DistributionList!.Items!).Id);

        await cloudFront.TagResourceAsync(new TagResourceRequest { Resource = distribution.ARN!, Tags = new Tags { Items = [new Tag { Key = "team", Value = "a" }] } });
        await cloudFront.UntagResourceAsync(new UntagResourceRequest { Resource = distribution.ARN!, TagKeys = new TagKeys { Items = ["team"] } });
        var tags = await cloudFront.ListTagsForResourceAsync(new ListTagsForResourceRequest { Resource = distribution.ARN! });
        Assert.Equal(["openkbs.com/uid"], tags.Tags!.Items!.Select(t => t.Key));

        await cloudFront.DeleteDistributionAsync(new DeleteDistributionRequest { Id = distribution.Id!, IfMatch = disabled.ETag! });
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => cloudFront.GetDistributionAsync(new GetDistributionRequest { Id = distribution.Id! }));
        Assert.Equal("NoSuchDistribution", gone.ErrorCode);
        Assert.True(gone.IsNotFound);
        Assert.False(string.IsNullOrEmpty(gone.RequestId));

        await cloudFront.DeleteOriginAccessControlAsync(new DeleteOriginAccessControlRequest { Id = oac.Id!, IfMatch = oacGot.ETag });
        Assert.Empty((await cloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest())).OriginAccessControlList!.Items ?? []);

        var records = host.Audit.Records.Where(r => r.Action.StartsWith("cloudfront:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["cloudfront:CreateOriginAccessControl", "cloudfront:CreateDistributionWithTags", "cloudfront:CreateDistribution", "cloudfront:UpdateDistribution",
             "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:DeleteDistribution", "cloudfront:DeleteOriginAccessControl"],
            records.Select(r => r.Action));
        Assert.Equal(arn, records[1].Resource);
        Assert.Equal(arn, records[4].Resource);
        Assert.Equal("TLSv1.2_2021", records[1].Details["MinimumProtocolVersion"]);
        Assert.Equal("redirect-to-https", records[1].Details["ViewerProtocolPolicy"]);
        Assert.Equal(AuditOutcome.Failure, records[2].Outcome);
        Assert.All(records, r => Assert.Equal("123456789012", r.AccountId));

        // Global service: signed for us-east-1 whatever the client set's region.
        Assert.All(host.Counter.Requests.Where(r => r.Target.Contains("/2020-05-31/", StringComparison.Ordinal)), r => Assert.Contains("/us-east-1/cloudfront/aws4_request", r.Headers, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_origin_outside_the_EU_is_refused_before_anything_is_sent()
    {
        using var host = new AwsTestHost(moto);
        var cloudFront = Members.In(host).CloudFront;
        var config = CloudFrontDistributions.ForS3Origin(Spec("E2OAC") with { BucketRegion = "us-east-1" });
        await Assert.ThrowsAsync<RegionNotAllowedException>(() => cloudFront.CreateDistributionAsync(new CreateDistributionRequest { DistributionConfig = config }));
        Assert.DoesNotContain(host.Counter.Requests, r => r.Target.Contains("/2020-05-31/", StringComparison.Ordinal));
        Assert.Equal(AuditOutcome.Refused, Assert.Single(host.Audit.Records, r => r.Action == "cloudfront:CreateDistribution").Outcome);
    }

    [Fact]
    public async Task The_wire_matches_the_AWS_SDK_for_JavaScript()
    {
        using var host = new AwsTestHost(moto);
        var cloudFront = Members.In(host).CloudFront;
        var oac = (await cloudFront.CreateOriginAccessControlAsync(new CreateOriginAccessControlRequest { OriginAccessControlConfig = Oac("ours") })).OriginAccessControl!;
        var config = CloudFrontDistributions.ForS3Origin(Spec(oac.Id!));
        var created = (await cloudFront.CreateDistributionWithTagsAsync(new CreateDistributionWithTagsRequest
        {
            DistributionConfigWithTags = new DistributionConfigWithTags { DistributionConfig = config, Tags = new Tags { Items = [new Tag { Key = "k", Value = "v" }] } },
        })).Distribution!;
        var etag = (await cloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = created.Id! })).ETag!;
        await cloudFront.UpdateDistributionAsync(new UpdateDistributionRequest { Id = created.Id!, IfMatch = etag, DistributionConfig = config with { Enabled = false } });
        await cloudFront.UntagResourceAsync(new UntagResourceRequest { Resource = created.ARN!, TagKeys = new TagKeys { Items = ["k"] } });
        var ours = host.Counter.Sent.Where(s => s.Operation is not "AssumeRole").ToDictionary(s => s.Operation, s => s.Request);

        var jsConfig = JsConfig(oac.Id!, config.CallerReference + "-js", enabled: true);
        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("cloudfront", "CreateOriginAccessControl", new { OriginAccessControlConfig = new { Name = "theirs", Description = "project bucket", SigningProtocol = "sigv4", SigningBehavior = "always", OriginAccessControlOriginType = "s3" } }),
            new("cloudfront", "CreateDistributionWithTags", new { DistributionConfigWithTags = new { DistributionConfig = jsConfig, Tags = new { Items = new[] { new { Key = "k", Value = "v" } } } } }),
            new("cloudfront", "GetDistributionConfig", new { Id = created.Id }),
            new("cloudfront", "UpdateDistribution", new { Id = created.Id, IfMatch = etag, DistributionConfig = JsConfig(oac.Id!, config.CallerReference!, enabled: false) }),
            new("cloudfront", "UntagResource", new { Resource = created.ARN, TagKeys = new { Items = new[] { "k" } } }),
            new("cloudfront", "GetDistribution", new { Id = created.Id }),
        ]);
        Assert.All(js, r => r.EnsureOk()); // moto 5.2.1 does not enforce unique OAC names (AWS: OriginAccessControlAlreadyExists)
        Assert.Equal(config.CallerReference, js[2].Get("DistributionConfig", "CallerReference").GetString());
        Assert.Equal("redirect-to-https", js[2].Get("DistributionConfig", "DefaultCacheBehavior", "ViewerProtocolPolicy").GetString());
        Assert.False(js[5].Get("Distribution", "DistributionConfig", "Enabled").GetBoolean());

        (string Operation, int Index)[] pairs = [("CreateOriginAccessControl", 0), ("CreateDistributionWithTags", 1), ("UpdateDistribution", 3), ("UntagResource", 4)];
        foreach (var (operation, index) in pairs)
        {
            var theirs = js[index].Request!;
            WireAssert.SameRoute(theirs, ours[operation]);
            WireAssert.SameXml(theirs.Body.Replace(">theirs<", ">ours<", StringComparison.Ordinal), ours[operation].Body, "CallerReference");
            Assert.Equal(theirs.IfMatch, ours[operation].IfMatch);
        }

        WireAssert.SameRoute(js[2].Request!, ours["GetDistributionConfig"]);
    }

    internal static S3DistributionSpec Spec(string oacId) => new()
    {
        OwnerUid = "uid-shop",
        BucketName = "shop-assets",
        BucketRegion = "eu-central-1",
        OriginAccessControlId = oacId,
        Comment = "tenants/shop",
        AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0d1c3b4e-5f60-4a1b-9c2d-3e4f5a6b7c8d",
        Aliases = ["shop.example.eu"],
        AllowedCountries = ["DE", "FR"],
    };

    private static OriginAccessControlConfig Oac(string name) => new()
    {
        Name = name, Description = "project bucket", SigningProtocol = "sigv4", SigningBehavior = "always", OriginAccessControlOriginType = "s3",
    };

    /// <summary>The same config as <see cref="CloudFrontDistributions.ForS3Origin"/>, written as the JS SDK's input.</summary>
    private static object JsConfig(string oacId, string callerReference, bool enabled) => new
    {
        CallerReference = callerReference,
        Aliases = new { Quantity = 1, Items = new[] { "shop.example.eu" } },
        DefaultRootObject = "index.html",
        Origins = new
        {
            Quantity = 1,
            Items = new[]
            {
                new
                {
                    Id = CloudFrontDistributions.OriginId, DomainName = "shop-assets.s3.eu-central-1.amazonaws.com", OriginPath = string.Empty,
                    S3OriginConfig = new { OriginAccessIdentity = string.Empty }, OriginAccessControlId = oacId,
                },
            },
        },
        DefaultCacheBehavior = new
        {
            TargetOriginId = CloudFrontDistributions.OriginId,
            ViewerProtocolPolicy = "redirect-to-https",
            AllowedMethods = new { Quantity = 2, Items = new[] { "GET", "HEAD" }, CachedMethods = new { Quantity = 2, Items = new[] { "GET", "HEAD" } } },
            Compress = true,
            CachePolicyId = CloudFrontDistributions.CachingOptimized,
        },
        Comment = "tenants/shop",
        PriceClass = "PriceClass_100",
        Enabled = enabled,
        ViewerCertificate = new { ACMCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0d1c3b4e-5f60-4a1b-9c2d-3e4f5a6b7c8d", SSLSupportMethod = "sni-only", MinimumProtocolVersion = "TLSv1.2_2021" },
        Restrictions = new { GeoRestriction = new { RestrictionType = "whitelist", Quantity = 2, Items = new[] { "DE", "FR" } } },
        HttpVersion = "http2and3",
        IsIPV6Enabled = true,
    };
}
