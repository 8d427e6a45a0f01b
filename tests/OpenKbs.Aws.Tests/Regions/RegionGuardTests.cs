using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Regions;

namespace OpenKbs.Aws.Tests.Regions;

public sealed class RegionGuardTests
{
    [Theory]
    [InlineData("eu-west-2")]
    [InlineData("eu-central-2")]
    [InlineData("us-east-1")]
    [InlineData("eu-central-3")]
    public void An_allowlist_with_a_non_eu_region_fails_at_startup(string region)
    {
        using var provider = new ServiceCollection()
            .AddOpenKbsAws(o =>
            {
                o.AllowedRegions.Clear();
                o.AllowedRegions.Add("eu-central-1");
                o.AllowedRegions.Add(region);
            })
            .Services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AwsOptions>>().Value);
        Assert.Contains(region, error.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new AwsRegionGuard(Options.Create(new AwsOptions { AllowedRegions = ["eu-central-1", region] })));
    }

    [Fact]
    public void The_default_region_must_be_allowed()
    {
        using var provider = new ServiceCollection()
            .AddOpenKbsAws(o => o.DefaultRegion = "eu-west-1")
            .Services.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AwsOptions>>().Value);
    }

    [Theory]
    [InlineData("eu-central-1", true)]
    [InlineData("eu-west-1", true)]
    [InlineData("eu-west-3", false)]
    [InlineData("eu-west-2", false)]
    [InlineData(null, false)]
    public void Allows_only_the_configured_regions(string? region, bool allowed)
    {
        var guard = new AwsRegionGuard(Options.Create(new AwsOptions { AllowedRegions = ["eu-central-1", "eu-west-1"] }));
        Assert.Equal(allowed, guard.IsAllowed(region));
    }

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:123456789012:key/abc", false)]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:f", true)]
    [InlineData("arn:aws:iam::123456789012:role/r", true)]
    [InlineData("just-a-name", true)]
    public void Checks_the_region_of_arns(string arn, bool allowed)
    {
        var guard = new AwsRegionGuard(Options.Create(new AwsOptions()));
        if (allowed)
        {
            guard.EnsureArnAllowed(arn);
        }
        else
        {
            var refused = Assert.Throws<RegionNotAllowedException>(() => guard.EnsureArnAllowed(arn));
            Assert.Equal(AwsErrorClassification.Terminal, refused.Classification);
        }
    }

    [Fact]
    public void Global_services_pass_regional_services_are_checked()
    {
        var guard = new AwsRegionGuard(Options.Create(new AwsOptions()));
        guard.EnsureCallAllowed(AwsServices.Organizations, "us-east-1", "ListAccounts");
        Assert.Throws<RegionNotAllowedException>(() => guard.EnsureCallAllowed(AwsServices.Lambda, "us-east-1", "GetFunction"));
    }
}
