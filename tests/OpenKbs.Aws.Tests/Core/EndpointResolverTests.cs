using Microsoft.Extensions.Options;
using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Tests.Core;

public sealed class EndpointResolverTests
{
    public static TheoryData<string, string, string, string> Defaults => new()
    {
        { "ORGANIZATIONS", "eu-central-1", "https://organizations.us-east-1.amazonaws.com/", "us-east-1" },
        { "ACCOUNT", "eu-west-1", "https://account.us-east-1.amazonaws.com/", "us-east-1" },
        { "IAM", "eu-central-1", "https://iam.amazonaws.com/", "us-east-1" },
        { "CLOUDFRONT", "eu-central-1", "https://cloudfront.amazonaws.com/", "us-east-1" },
        { "STS", "eu-central-1", "https://sts.eu-central-1.amazonaws.com/", "eu-central-1" },
        { "LAMBDA", "eu-west-3", "https://lambda.eu-west-3.amazonaws.com/", "eu-west-3" },
        { "RDS", "eu-north-1", "https://rds.eu-north-1.amazonaws.com/", "eu-north-1" },
        { "CLOUDWATCH", "eu-central-1", "https://monitoring.eu-central-1.amazonaws.com/", "eu-central-1" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Resolves_aws_endpoints_and_signing_regions(string id, string region, string url, string signingRegion)
    {
        var resolver = new AwsEndpointResolver(Options.Create(new AwsOptions()), _ => null);
        var endpoint = resolver.Resolve(AwsServices.All.Single(s => s.EndpointId == id), region);
        Assert.Equal(url, endpoint.BaseUri.AbsoluteUri);
        Assert.Equal(signingRegion, endpoint.SigningRegion);
        Assert.False(endpoint.IsOverride);
    }

    [Fact]
    public void Per_service_variable_beats_global_variable_and_global_services_still_sign_us_east_1()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1111",
            ["AWS_ENDPOINT_URL_ORGANIZATIONS"] = "http://127.0.0.1:2222",
        };
        var resolver = new AwsEndpointResolver(Options.Create(new AwsOptions()), k => environment.GetValueOrDefault(k));
        var organizations = resolver.Resolve(AwsServices.Organizations, "eu-central-1");
        Assert.Equal("http://127.0.0.1:2222/", organizations.BaseUri.AbsoluteUri);
        Assert.Equal("us-east-1", organizations.SigningRegion);
        Assert.True(organizations.IsOverride);
        var lambda = resolver.Resolve(AwsServices.Lambda, "eu-central-1");
        Assert.Equal("http://127.0.0.1:1111/", lambda.BaseUri.AbsoluteUri);
        Assert.Equal("eu-central-1", lambda.SigningRegion);
    }

    [Fact]
    public void Options_beat_the_environment_and_the_ignore_switch_is_honoured()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1111",
            ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true",
        };
        var options = new AwsOptions();
        options.ServiceEndpoints["IAM"] = new Uri("http://127.0.0.1:3333");
        var resolver = new AwsEndpointResolver(Options.Create(options), k => environment.GetValueOrDefault(k));
        Assert.Equal("http://127.0.0.1:3333/", resolver.Resolve(AwsServices.Iam, "eu-central-1").BaseUri.AbsoluteUri);
        Assert.Equal("https://lambda.eu-central-1.amazonaws.com/", resolver.Resolve(AwsServices.Lambda, "eu-central-1").BaseUri.AbsoluteUri);
    }

    [Fact]
    public void A_malformed_override_is_an_error()
    {
        var resolver = new AwsEndpointResolver(Options.Create(new AwsOptions()), k => k == "AWS_ENDPOINT_URL_IAM" ? "not a url" : null);
        Assert.Throws<InvalidOperationException>(() => resolver.Resolve(AwsServices.Iam, "eu-central-1"));
    }
}
