using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class SpecRulesTests
{
    private static readonly string[] OperatorRegions = ["eu-central-1", "eu-west-1"];

    public static TheoryData<Func<ClientAccountSpec, ClientAccountSpec>, string?, string?> Cases => new()
    {
        { s => s, null, null },
        { s => s with { OrganizationalUnit = "Clients/Manufacturing", AllowedRegions = ["eu-central-1", "eu-north-1"] }, null, null },
        { s => s with { Email = "not-an-email" }, ConditionReasons.TerminalInvalidEmail, "not an address" },
        { s => s with { Email = "a@b" }, ConditionReasons.TerminalInvalidEmail, "not an address" },
        { s => s with { AllowedRegions = ["eu-central-1", "us-east-1"] }, ConditionReasons.TerminalRegionNotAllowed, "'us-east-1'" },
        { s => s with { AllowedRegions = ["eu-central-1", "eu-west-2"] }, ConditionReasons.TerminalRegionNotAllowed, "'eu-west-2'" },
        { s => s with { AllowedRegions = ["eu-central-1", "eu-central-2"] }, ConditionReasons.TerminalRegionNotAllowed, "'eu-central-2'" },
        { s => s with { AllowedRegions = [] }, ConditionReasons.TerminalInvalidSpec, "allowedRegions is empty" },
        { s => s with { Region = "eu-west-1", AllowedRegions = ["eu-central-1"] }, ConditionReasons.TerminalInvalidSpec, "must be one of allowedRegions" },
        { s => s with { Region = "eu-north-1", AllowedRegions = ["eu-north-1"] }, ConditionReasons.TerminalRegionNotAllowed, "operator's allowed regions" },
        { s => s with { OrganizationalUnit = "A/B/C/D/E/F" }, ConditionReasons.TerminalInvalidSpec, "6 levels deep" },
        { s => s with { AccessRoleName = "bad role" }, ConditionReasons.TerminalInvalidSpec, "accessRoleName" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_refuses_with_a_precise_reason_and_message(Func<ClientAccountSpec, ClientAccountSpec> spec, string? reason, string? fragment)
    {
        var violation = SpecRules.Check(Fixtures.Account("acme", spec), OperatorRegions);

        Assert.Equal(reason, violation?.Reason);
        if (fragment is not null)
        {
            Assert.Contains(fragment, violation!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Adopting_another_account_than_the_managed_one_is_refused()
    {
        var resource = Fixtures.Account("acme", s => s with { AdoptAccountId = "111111111111" }, status: s => s.AccountId = "222222222222");

        var violation = SpecRules.Check(resource, OperatorRegions);

        Assert.Equal(ConditionReasons.TerminalInvalidSpec, violation?.Reason);
        Assert.Contains("222222222222", violation!.Message, StringComparison.Ordinal);
    }
}
