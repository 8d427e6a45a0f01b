using OpenKbs.Sandbox.Aws.Chaos;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

public sealed class AwsChaosSpecTests
{
    [Fact]
    public void The_issue_example_parses_into_rates_latency_seed_and_realism()
    {
        var spec = AwsChaosSpec.Parse("throttle=0.2,error=0.05,latency=50ms,reset=0.01,timeout=0.01,seed=42,realism=on");

        Assert.Equal(0.2, spec.Throttle);
        Assert.Equal(0.05, spec.Error);
        Assert.Equal(0.01, spec.Reset);
        Assert.Equal(0.01, spec.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), spec.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(50), spec.LatencyMax);
        Assert.Equal(42UL, spec.Seed);
        Assert.True(spec.Realism);
        Assert.True(spec.AccountApi);
    }

    [Fact]
    public void Filters_knobs_ranges_and_percentages_parse()
    {
        var spec = AwsChaosSpec.Parse(" throttle=20% , services=lambda+organizations, operations=CreateAccount|UpdateFunctionCode, latency=10ms..1.5s,"
            + "org-polls=4,org-delay=30s,org-in-flight=2,close-polls=1,empty-pages=0,lambda-polls=3,cloudfront-delay=1m,rds-polls=0,otp=ABC123,account-api=off,after=0.5,hang=3s");

        Assert.Equal(0.2, spec.Throttle, 9);
        Assert.Equal(["lambda", "organizations"], spec.Services.Order());
        Assert.Equal(["CreateAccount", "UpdateFunctionCode"], spec.Operations.Order());
        Assert.Equal(TimeSpan.FromMilliseconds(10), spec.Latency);
        Assert.Equal(TimeSpan.FromSeconds(1.5), spec.LatencyMax);
        Assert.Equal(4, spec.RealismOptions.CreateAccountPolls);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.RealismOptions.CreateAccountDelay);
        Assert.Equal(2, spec.RealismOptions.MaxCreateAccountsInFlight);
        Assert.Equal(1, spec.RealismOptions.CloseAccountPolls);
        Assert.Equal(0, spec.RealismOptions.EmptyPageRate);
        Assert.Equal(3, spec.RealismOptions.LambdaPolls);
        Assert.Equal(TimeSpan.FromMinutes(1), spec.RealismOptions.CloudFrontDelay);
        Assert.Equal(0, spec.RealismOptions.RdsPolls);
        Assert.Equal("ABC123", spec.Otp);
        Assert.False(spec.AccountApi);
        Assert.Equal(0.5, spec.After);
        Assert.Equal(TimeSpan.FromSeconds(3), spec.Hang);
        Assert.True(spec.Targets("lambda", "UpdateFunctionCode"));
        Assert.False(spec.Targets("lambda", "GetFunction"));
        Assert.False(spec.Targets("rds", "CreateAccount"));
    }

    public static TheoryData<string> Canonical => new()
    {
        "throttle=0.2,error=0.05,reset=0.01,timeout=0.01,latency=50ms,seed=42,realism=on",
        "latency=10ms..2s,services=lambda+s3,operations=CreateFunction",
        "realism=on,org-polls=5,org-delay=30s,org-in-flight=1,close-polls=0,empty-pages=0.5,lambda-polls=0,rds-delay=1m",
        "after=0.25,hang=5s,account-api=off,otp=ZZZ999",
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void The_canonical_text_parses_back_to_the_same_spec(string text)
    {
        var spec = AwsChaosSpec.Parse(text);
        var again = AwsChaosSpec.Parse(spec.ToString());

        Assert.Equal(text, spec.ToString());
        Assert.Equal(spec.ToString(), again.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("off")]
    [InlineData("none")]
    public void Empty_text_means_no_chaos(string text)
    {
        var spec = AwsChaosSpec.Parse(text);

        Assert.False(spec.HasFaults);
        Assert.False(spec.Realism);
        Assert.Equal("off", spec.ToString());
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "throttle=0.2,bogus=1", "unknown key 'bogus'" },
        { "throttle", "is not key=value" },
        { "throttle=1.5", "outside 0..1" },
        { "throttle=abc", "is not a probability" },
        { "throttle=0.1,throttle=0.2", "given twice" },
        { "throttle=0.6,error=0.5", "more than 1" },
        { "latency=fast", "is not a duration" },
        { "latency=2s..1s", "ends before it starts" },
        { "seed=-1", "not a non-negative integer" },
        { "realism=maybe", "must be on or off" },
        { "services=lambda+dynamo", "unknown service 'dynamo'" },
        { "operations=Create-Account", "is not an operation name" },
        { "otp=12", "must be 6 letters or digits" },
        { "org-polls=two", "not a non-negative integer" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Bad_specs_are_refused_with_a_clear_message(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AwsChaosSpec.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("--aws-chaos:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_lists_the_known_keys()
    {
        var error = Assert.Throws<FormatException>(() => AwsChaosSpec.Parse("thrtotle=0.2"));

        foreach (var key in AwsChaosSpecKeys.All)
        {
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
    }
}
