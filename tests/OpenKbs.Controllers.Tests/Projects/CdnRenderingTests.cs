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

    [Theory]
    [InlineData("eu-central-1", true)]
    [InlineData("eu-west-1", true)]
    [InlineData("eu-north-1", true)]
    [InlineData("eu-south-1", false)] // opt-in regions: CloudFront's standard logging cannot deliver there
    [InlineData("eu-south-2", false)]
    public void Access_logs_go_to_the_project_log_bucket_without_cookies_where_CloudFront_can_deliver_them(string region, bool delivered)
    {
        var logging = CdnRendering.Desired(Names, Spec, "okbs-tenants-shop-12345678", region, "E2OAC").Logging!;

        Assert.Equal(delivered, logging.Enabled);
        Assert.False(logging.IncludeCookies);
        Assert.Equal(delivered ? ($"{Names.CdnLogBucket}.s3.amazonaws.com", "cloudfront/") : (string.Empty, string.Empty), (logging.Bucket, logging.Prefix));
        Assert.InRange(Names.CdnLogBucket.Length, 3, 63);
        Assert.EndsWith($"{Names.Hash}-cdnlogs", Names.CdnLogBucket, StringComparison.Ordinal);
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
        Assert.Equal(id, CdnManager.ExistingId(message));
    }
}
