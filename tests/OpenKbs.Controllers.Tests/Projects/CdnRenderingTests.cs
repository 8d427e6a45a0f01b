using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Cdn;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class CdnRenderingTests
{
    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45";
    private static readonly ProjectNames Names = ProjectNames.For("tenants", "shop", "uid-shop");
    private static readonly CdnSpec Spec = new() { Enabled = true, Aliases = ["www.shop.example", "shop.example"], AcmCertificateArn = Certificate };

    private static DistributionConfig Desired(CdnSpec? spec = null) => CdnRendering.Desired(Names, spec ?? Spec, "okbs-tenants-shop-12345678", "eu-central-1", "E2OAC");

    [Fact]
    public void The_distribution_redirects_to_HTTPS_and_enforces_TLSv1_2_2021_through_origin_access_control()
    {
        var config = Desired();
        Assert.True(CloudFrontDistributions.EnforcesMinimumTls(config));
        Assert.Equal(("redirect-to-https", "TLSv1.2_2021", "sni-only", Certificate), (config.DefaultCacheBehavior!.ViewerProtocolPolicy, config.ViewerCertificate!.MinimumProtocolVersion, config.ViewerCertificate.SSLSupportMethod, config.ViewerCertificate.ACMCertificateArn));
        var origin = Assert.Single(config.Origins!.Items!);
        Assert.Equal(("okbs-tenants-shop-12345678.s3.eu-central-1.amazonaws.com", "E2OAC", string.Empty), (origin.DomainName, origin.OriginAccessControlId, origin.S3OriginConfig!.OriginAccessIdentity));
        Assert.Equal(["shop.example", "www.shop.example"], config.Aliases!.Items);
        Assert.Equal(("PriceClass_100", true, CdnRendering.DistributionComment(Names)), (config.PriceClass, config.Enabled, config.Comment));
    }

    public static TheoryData<string, Func<DistributionConfig, DistributionConfig>, string[]> Deltas => new()
    {
        { "unchanged", c => c, [] },
        { "moto omits the origin access control id", c => c with { Origins = new Origins { Quantity = 1, Items = [c.Origins!.Items![0] with { OriginAccessControlId = null, S3OriginConfig = null }] } }, [] },
        { "origin access control removed", c => c with { Origins = new Origins { Quantity = 1, Items = [c.Origins!.Items![0] with { OriginAccessControlId = string.Empty }] } }, [CdnRendering.Origin] },
        { "disabled behind our back", c => c with { Enabled = false }, [CdnRendering.Enabled] },
        { "default certificate (TLSv1)", c => c with { ViewerCertificate = new ViewerCertificate { CloudFrontDefaultCertificate = true, MinimumProtocolVersion = "TLSv1" } }, [CdnRendering.ViewerCertificate] },
        { "weaker policy", c => c with { ViewerCertificate = c.ViewerCertificate! with { MinimumProtocolVersion = "TLSv1.1_2016" } }, [CdnRendering.ViewerCertificate] },
        { "plain HTTP allowed", c => c with { DefaultCacheBehavior = c.DefaultCacheBehavior! with { ViewerProtocolPolicy = "allow-all" } }, [CdnRendering.CacheBehavior] },
        { "price class and aliases", c => c with { PriceClass = "PriceClass_All", Aliases = new Aliases { Quantity = 1, Items = ["shop.example"] } }, [CdnRendering.Aliases, CdnRendering.PriceClass] },
        { "alias order does not matter", c => c with { Aliases = new Aliases { Quantity = 2, Items = ["www.shop.example", "shop.example"] } }, [] },
    };

    [Theory]
    [MemberData(nameof(Deltas))]
    public void Delta_names_the_paths_that_differ(string name, Func<DistributionConfig, DistributionConfig> current, string[] expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, CdnRendering.Delta(current(Desired()), Desired()));
    }

    [Fact]
    public void Switching_the_CDN_off_is_a_delta_of_Enabled_only()
    {
        var off = CdnRendering.Desired(Names, Spec, "okbs-tenants-shop-12345678", "eu-central-1", "E2OAC", enabled: false);
        Assert.Equal([CdnRendering.Enabled], CdnRendering.Delta(Desired(), off));
    }

    [Fact]
    public void The_endpoint_is_the_first_alias()
    {
        Assert.Equal("https://shop.example", CdnRendering.Endpoint(Spec, "d111.cloudfront.net"));
    }

    [Theory]
    [InlineData("The caller reference that you are using to create a distribution is associated with another distribution. Already exists: E2QWRUHEXAMPLE", "E2QWRUHEXAMPLE")]
    [InlineData("Already exists: EDFDVBD6EXAMPLE.", "EDFDVBD6EXAMPLE")]
    [InlineData("something else", null)]
    [InlineData(null, null)]
    public void A_lost_create_answer_is_recovered_from_the_id_AWS_names(string? message, string? id)
    {
        Assert.Equal(id, OpenKbs.Controllers.Projects.Components.Cdn.CdnStep.ExistingId(message));
    }
}
