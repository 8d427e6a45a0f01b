using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;

namespace OpenKbs.Aws.Tests.CloudFront;

public sealed class CloudFrontDistributionsTests
{
    [Fact]
    public void The_caller_reference_is_deterministic_per_owner()
    {
        Assert.Equal(CloudFrontDistributions.CallerReference("uid-1"), CloudFrontDistributions.CallerReference("uid-1"));
        Assert.NotEqual(CloudFrontDistributions.CallerReference("uid-1"), CloudFrontDistributions.CallerReference("uid-2"));
        Assert.Matches("^openkbs-[0-9a-f]{32}$", CloudFrontDistributions.CallerReference("uid-1"));
    }

    [Fact]
    public void Every_collection_quantity_matches_its_items()
    {
        var config = CloudFrontDistributions.ForS3Origin(CloudFrontClientTests.Spec("E1"));
        Assert.Equal(config.Aliases!.Items!.Count, config.Aliases.Quantity);
        Assert.Equal(config.Origins!.Items!.Count, config.Origins.Quantity);
        Assert.Equal(config.DefaultCacheBehavior!.AllowedMethods!.Items!.Count, config.DefaultCacheBehavior.AllowedMethods.Quantity);
        Assert.Equal(config.DefaultCacheBehavior.AllowedMethods.CachedMethods!.Items!.Count, config.DefaultCacheBehavior.AllowedMethods.CachedMethods.Quantity);
        Assert.Equal(config.Restrictions!.GeoRestriction!.Items!.Count, config.Restrictions.GeoRestriction.Quantity);
        var origin = Assert.Single(config.Origins.Items);
        Assert.Equal(string.Empty, origin.S3OriginConfig!.OriginAccessIdentity);
        Assert.Equal("E1", origin.OriginAccessControlId);
    }

    public static TheoryData<string?, bool, string> Certificates => new()
    {
        { "arn:aws:acm:us-east-1:123456789012:certificate/abc", true, "TLSv1.2_2021" },
        { null, false, "TLSv1" },
    };

    [Theory]
    [MemberData(nameof(Certificates))]
    public void TLSv1_2_2021_needs_a_custom_certificate(string? certificate, bool enforced, string policy)
    {
        var config = CloudFrontDistributions.ForS3Origin(CloudFrontClientTests.Spec("E1") with { AcmCertificateArn = certificate });
        Assert.Equal(enforced, CloudFrontDistributions.EnforcesMinimumTls(config));
        Assert.Equal(policy, config.ViewerCertificate!.MinimumProtocolVersion);
        Assert.Equal(certificate is null, config.ViewerCertificate.CloudFrontDefaultCertificate == true);
        Assert.Equal(certificate is null ? 0 : 1, config.Aliases!.Quantity);
        Assert.Equal("redirect-to-https", config.DefaultCacheBehavior!.ViewerProtocolPolicy);
    }

    [Fact]
    public void S3_origins_carry_their_region_to_the_guard()
    {
        var config = new DistributionConfig
        {
            Origins = new Origins
            {
                Quantity = 2,
                Items = [new Origin { Id = "a", DomainName = "b1.s3.eu-west-3.amazonaws.com" }, new Origin { Id = "b", DomainName = "api.example.eu" }],
            },
        };
        Assert.Equal(["arn:aws:s3:eu-west-3:::b1"], CloudFrontClient.OriginRegions(config));
    }
}
