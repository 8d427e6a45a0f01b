using Microsoft.Extensions.Configuration;
using OpenKbs.Aws;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Tests.Shared;

public sealed class AwsRegistrationTests
{
    public static TheoryData<Dictionary<string, string?>, string[]> Regions => new()
    {
        { new(), ["eu-central-1"] },
        { new() { ["Aws:AllowedRegions:0"] = "eu-west-1" }, ["eu-west-1"] },
        { new() { ["Aws:AllowedRegions:0"] = "eu-central-1", ["Aws:AllowedRegions:1"] = "eu-north-1" }, ["eu-central-1", "eu-north-1"] },
        { new() { ["Aws:AllowedRegions"] = "eu-central-1, eu-west-3" }, ["eu-central-1", "eu-west-3"] },
    };

    [Theory]
    [MemberData(nameof(Regions))]
    public void Configured_allowed_regions_replace_the_default(Dictionary<string, string?> values, string[] expected)
    {
        var options = new AwsOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        AwsRegistration.Bind(options, configuration.GetSection(AwsOptions.SectionName));

        Assert.Equal(expected, options.AllowedRegions);
    }

    [Fact]
    public void Other_settings_bind_as_usual()
    {
        var options = new AwsOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aws:DefaultRegion"] = "eu-west-1",
            ["Aws:EndpointUrl"] = "http://127.0.0.1:4566",
            ["Aws:Resilience:MaxRetryAttempts"] = "2",
        }).Build();

        AwsRegistration.Bind(options, configuration.GetSection(AwsOptions.SectionName));

        Assert.Equal("eu-west-1", options.DefaultRegion);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), options.EndpointUrl);
        Assert.Equal(2, options.Resilience.MaxRetryAttempts);
    }
}
