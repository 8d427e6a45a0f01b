using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Cdn;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The CDN delta is a pure function of desired and observed: each differing setting names exactly one path.</summary>
public sealed class CdnDeltaTests
{
    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45";
    private const string FunctionUrl = "https://abcdefghijklmnop.lambda-url.eu-central-1.on.aws/";
    private static readonly ProjectNames Names = ProjectNames.For("tenants", "shop", "u1");
    private static readonly CdnSpec Spec = new() { Enabled = true, Aliases = ["www.shop.example", "shop.example"], AcmCertificateArn = Certificate };
    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.Uid] = "u1", [Labels.Owner] = "tenants/shop" };

    private static DistributionConfig Config(bool enabled = true, string? functionUrl = FunctionUrl) =>
        CdnRendering.Desired(Names, Spec, "okbs-tenants-shop-12345678", "eu-central-1", "E2OAC", enabled, functionUrl, functionUrl is null ? null : "E2AUTH");

    private static readonly CdnDesired Desired = new(Config(), Owner);

    private static CdnObservation Observed(DistributionConfig config) => new(
        new Distribution { Id = "E1", Status = "Deployed", DistributionConfig = config },
        "ETAG1",
        [.. Owner.Select(t => new Tag { Key = t.Key, Value = t.Value }), new Tag { Key = "cost-centre", Value = "42" }],
        null);

    private static readonly CdnObservation Converged = Observed(Config());

    [Fact]
    public void A_converged_distribution_has_no_delta() => Assert.True(CdnDelta.Between(Desired, Converged).IsEmpty);

    [Fact]
    public void A_missing_distribution_is_created_not_updated()
    {
        Assert.Throws<ArgumentException>(() => CdnDelta.Between(Desired, CdnObservation.Missing));
        Assert.Throws<ArgumentException>(() => CdnDelta.Between(Desired, CdnObservation.Gone));
    }

    private static Origins WithFirstOrigin(DistributionConfig c, Func<Origin, Origin> change) =>
        new() { Quantity = c.Origins!.Quantity, Items = [change(c.Origins.Items![0]), .. c.Origins.Items.Skip(1)] };

    public static TheoryData<string, Func<DistributionConfig, DistributionConfig>, string[]> Drifts => new()
    {
        { "moto omits the origin access control id", c => c with { Origins = WithFirstOrigin(c, o => o with { OriginAccessControlId = null, S3OriginConfig = null }) }, [] },
        { "alias order does not matter", c => c with { Aliases = new Aliases { Quantity = 2, Items = ["www.shop.example", "shop.example"] } }, [] },
        { "disabled behind our back", c => c with { Enabled = false }, [CdnDelta.Enabled] },
        { "an alias removed", c => c with { Aliases = new Aliases { Quantity = 1, Items = ["shop.example"] } }, [CdnDelta.Aliases] },
        { "an alias added", c => c with { Aliases = new Aliases { Quantity = 3, Items = ["shop.example", "www.shop.example", "evil.example"] } }, [CdnDelta.Aliases] },
        { "default certificate (TLSv1)", c => c with { ViewerCertificate = new ViewerCertificate { CloudFrontDefaultCertificate = true, MinimumProtocolVersion = "TLSv1" } }, [CdnDelta.ViewerCertificate] },
        { "weaker policy", c => c with { ViewerCertificate = c.ViewerCertificate! with { MinimumProtocolVersion = "TLSv1.1_2016" } }, [CdnDelta.ViewerCertificate] },
        { "another certificate", c => c with { ViewerCertificate = c.ViewerCertificate! with { ACMCertificateArn = Certificate + "0" } }, [CdnDelta.ViewerCertificate] },
        { "dedicated IP instead of SNI", c => c with { ViewerCertificate = c.ViewerCertificate! with { SSLSupportMethod = "vip" } }, [CdnDelta.ViewerCertificate] },
        { "no viewer certificate", c => c with { ViewerCertificate = null }, [CdnDelta.ViewerCertificate] },
        { "price class", c => c with { PriceClass = "PriceClass_All" }, [CdnDelta.PriceClass] },
        { "plain HTTP allowed", c => c with { DefaultCacheBehavior = c.DefaultCacheBehavior! with { ViewerProtocolPolicy = "allow-all" } }, [CdnDelta.CacheBehavior] },
        { "another cache policy", c => c with { DefaultCacheBehavior = c.DefaultCacheBehavior! with { CachePolicyId = "other" } }, [CdnDelta.CacheBehavior] },
        { "origin access control removed", c => c with { Origins = WithFirstOrigin(c, o => o with { OriginAccessControlId = string.Empty }) }, [CdnDelta.Origin] },
        { "another origin access control", c => c with { Origins = WithFirstOrigin(c, o => o with { OriginAccessControlId = "E2OTHER" }) }, [CdnDelta.Origin] },
        { "another bucket", c => c with { Origins = WithFirstOrigin(c, o => o with { DomainName = "elsewhere.s3.eu-central-1.amazonaws.com" }) }, [CdnDelta.Origin] },
        { "the access function's origin removed", c => c with { Origins = new Origins { Quantity = 1, Items = [c.Origins!.Items![0]] } }, [CdnDelta.Origin] },
        { "the /auth/* behaviour removed", c => c with { CacheBehaviors = null }, [CdnDelta.CacheBehaviors] },
        { "the /auth/* behaviour over plain HTTP", c => c with { CacheBehaviors = new CacheBehaviors { Quantity = 1, Items = [c.CacheBehaviors!.Items![0] with { ViewerProtocolPolicy = "allow-all" }] } }, [CdnDelta.CacheBehaviors] },
        { "comment", c => c with { Comment = "someone else's" }, [CdnDelta.Comment] },
        { "access logs switched off", c => c with { Logging = new LoggingConfig { Enabled = false } }, [CdnDelta.Logging] },
        { "access logs never configured (a distribution from before)", c => c with { Logging = null }, [CdnDelta.Logging] },
        { "access logs to another bucket", c => c with { Logging = c.Logging! with { Bucket = "elsewhere.s3.amazonaws.com" } }, [CdnDelta.Logging] },
        { "access logs under another prefix", c => c with { Logging = c.Logging! with { Prefix = "other/" } }, [CdnDelta.Logging] },
        { "cookies logged", c => c with { Logging = c.Logging! with { IncludeCookies = true } }, [CdnDelta.Logging] },
        {
            "several, in the fixed order",
            c => c with { Comment = "x", PriceClass = "PriceClass_All", Enabled = false, Aliases = new Aliases { Quantity = 1, Items = ["shop.example"] } },
            [CdnDelta.Enabled, CdnDelta.Aliases, CdnDelta.PriceClass, CdnDelta.Comment]
        },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_drift_names_exactly_its_paths(string name, Func<DistributionConfig, DistributionConfig> change, string[] expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var delta = CdnDelta.Between(Desired, Observed(change(Config())));

        Assert.Equal(expected, delta.Paths);
        Assert.Equal(expected.Length == 0, delta.IsEmpty);
    }

    [Fact]
    public void Switching_the_CDN_off_is_a_delta_of_Enabled_only() =>
        Assert.Equal([CdnDelta.Enabled], CdnDelta.Between(Desired with { Config = Config(enabled: false) }, Converged).Paths);

    [Fact]
    public void Without_the_access_function_its_origin_and_behaviour_are_drift() =>
        Assert.Equal([CdnDelta.Origin, CdnDelta.CacheBehaviors], CdnDelta.Between(Desired with { Config = Config(functionUrl: null) }, Converged).Paths);

    [Fact]
    public void A_missing_or_changed_owner_tag_is_the_only_tag_written_and_other_tools_tags_are_left_alone()
    {
        var delta = CdnDelta.Between(Desired, Converged with { Tags = [new Tag { Key = Labels.Uid, Value = "u1" }, new Tag { Key = Labels.Owner, Value = "x/y" }, new Tag { Key = "cost-centre", Value = "42" }] });

        Assert.Equal([KeyValuePair.Create(Labels.Owner, "tenants/shop")], delta.MissingTags);
        Assert.Equal((false, 0, false), (delta.Unrelease, delta.Paths.Count, delta.IsEmpty));
    }

    [Fact]
    public void A_distribution_adopted_again_after_Retain_loses_its_released_tag()
    {
        var delta = CdnDelta.Between(Desired, Converged with { Tags = [.. Converged.Tags, new Tag { Key = Labels.Released, Value = "2026-01-01T00:00:00Z" }] });

        Assert.Equal((true, 0, 0, false), (delta.Unrelease, delta.MissingTags.Count, delta.Paths.Count, delta.IsEmpty));
    }

    [Fact]
    public void The_observation_reads_the_echoed_origin_access_control_and_the_owner()
    {
        Assert.Equal("E2OAC", Converged.EchoedOriginAccessControlId);
        Assert.Null(Observed(Config() with { Origins = WithFirstOrigin(Config(), o => o with { OriginAccessControlId = null }) }).EchoedOriginAccessControlId);
        Assert.Null(Converged.OwnerOtherThan("u1"));
        Assert.Equal("tenants/shop", Converged.OwnerOtherThan("u2"));
        Assert.Equal("E9", (Converged with { OriginAccessControls = [new OriginAccessControlSummary { Id = "E9", Name = Names.OriginAccessControl }] }).OriginAccessControlId(Names.OriginAccessControl));
    }
}
