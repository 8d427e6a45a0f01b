using System.Text.Json.Nodes;
using OpenKbs.Controllers.ClientAccounts;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class RegionGuardPolicyTests
{
    public static TheoryData<string[], string> Names => new()
    {
        { ["eu-central-1"], "openkbs-region-guard-eu-central-1" },
        { ["eu-west-1", "eu-central-1"], "openkbs-region-guard-eu-central-1_eu-west-1" },
        { ["eu-central-1", "eu-west-1", "eu-central-1"], "openkbs-region-guard-eu-central-1_eu-west-1" },
        { ["eu-south-2", "eu-north-1", "eu-west-3", "eu-south-1", "eu-west-1", "eu-central-1"], "openkbs-region-guard-eu-central-1_eu-north-1_eu-south-1_eu-south-2_eu-west-1_eu-west-3" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void The_name_depends_only_on_the_set_of_regions(string[] regions, string expected)
    {
        var policy = RegionGuardPolicy.For(regions);

        Assert.Equal(expected, policy.Name);
        Assert.True(policy.Name.Length <= 128);
        Assert.Equal(policy.Content, RegionGuardPolicy.For(regions.Reverse()).Content);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_document_denies_everything_outside_the_regions_except_global_services(string[] regions, string _)
    {
        var policy = RegionGuardPolicy.For(regions);
        var statement = Assert.Single(JsonNode.Parse(policy.Content)!["Statement"]!.AsArray())!;

        Assert.Equal("2012-10-17", JsonNode.Parse(policy.Content)!["Version"]!.GetValue<string>());
        Assert.Equal("Deny", statement["Effect"]!.GetValue<string>());
        Assert.Equal("*", statement["Resource"]!.GetValue<string>());
        Assert.Null(statement["Action"]);
        var allowed = statement["Condition"]!["StringNotEquals"]!["aws:RequestedRegion"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.Equal(regions.Distinct().Order(StringComparer.Ordinal), allowed);
        var exempt = statement["NotAction"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        foreach (var global in new[] { "iam:*", "organizations:*", "account:*", "sts:*", "cloudfront:*", "route53:*", "support:*", "budgets:*", "ce:*", "waf:*", "health:*", "trustedadvisor:*" })
        {
            Assert.Contains(global, exempt);
        }

        Assert.DoesNotContain(exempt, a => a is "lambda:*" or "rds:*" or "s3:*" or "ec2:*" or "*");
        Assert.True(policy.Content.Length < 5120, "SCPs are limited to 5,120 characters");
    }

    public static TheoryData<string, bool> Documents => new()
    {
        { RegionGuardPolicy.For(["eu-central-1"]).Content, true },
        { JsonNode.Parse(RegionGuardPolicy.For(["eu-central-1"]).Content)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), true },
        { RegionGuardPolicy.For(["eu-west-1"]).Content, false },
        { RegionGuardPolicy.For(["eu-central-1"]).Content.Replace("\"Deny\"", "\"Allow\"", StringComparison.Ordinal), false },
        { "not json", false },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Content_comparison_ignores_formatting_but_not_meaning(string document, bool same) =>
        Assert.Equal(same, RegionGuardPolicy.For(["eu-central-1"]).SameContent(document));

    [Theory]
    [InlineData("openkbs-region-guard-eu-central-1", true)]
    [InlineData("FullAWSAccess", false)]
    [InlineData("platform-deny-root", false)]
    [InlineData(null, false)]
    public void Only_guard_policies_are_recognised_as_ours(string? name, bool ours) => Assert.Equal(ours, RegionGuardPolicy.IsGuardName(name));
}
