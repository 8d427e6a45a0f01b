using System.Text.Json.Nodes;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class AccountApiTests(MotoServerFixture moto)
{
    private static async Task<string> MemberAsync(Uri endpoint, string email)
    {
        await Chaos.OrganizationsAsync(endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var created = await Chaos.OrganizationsAsync(endpoint, "CreateAccount", new JsonObject { ["Email"] = email, ["AccountName"] = "member" });
        return created.Text("CreateAccountStatus.AccountId");
    }

    [Fact]
    public async Task Aws_cli_reads_and_changes_a_member_primary_email_with_the_one_time_password()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "off");
        var member = await MemberAsync(proxy.Endpoint, "old@example.com");

        var before = (await Chaos.CliAsync(proxy, "account", "get-primary-email", "--account-id", member)).Json();
        Assert.Equal("old@example.com", before.GetProperty("PrimaryEmail").GetString());

        var started = (await Chaos.CliAsync(proxy, "account", "start-primary-email-update", "--account-id", member, "--primary-email", "new@example.com")).Json();
        Assert.Equal("PENDING", started.GetProperty("Status").GetString());

        // What a real mailbox would receive, visible to tests through the control endpoint.
        var otp = JsonNode.Parse(await Chaos.Http.GetStringAsync(new Uri(proxy.Endpoint, $"/__chaos/account/otp?accountId={member}")))!.Text("otp");
        Assert.Equal(otp, proxy.Engine.PendingPrimaryEmailUpdate(member)!.Otp);

        var accepted = (await Chaos.CliAsync(proxy, "account", "accept-primary-email-update", "--account-id", member, "--primary-email", "new@example.com", "--otp", otp)).Json();
        Assert.Equal("ACCEPTED", accepted.GetProperty("Status").GetString());

        var after = (await Chaos.CallAsync(RawAws.Rest(HttpMethod.Post, proxy.Endpoint, "/getPrimaryEmail", "account", new JsonObject { ["AccountId"] = member }, "us-east-1"))).Body;
        Assert.Equal("new@example.com", after.Text("PrimaryEmail"));
        var described = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeAccount", new JsonObject { ["AccountId"] = member });
        Assert.Equal("new@example.com", described.Text("Account.Email"));
    }

    public static TheoryData<string, JsonObject, int, string> Refusals => new()
    {
        { "/getPrimaryEmail", new JsonObject { ["AccountId"] = "111111111111" }, 404, "ResourceNotFoundException" },
        { "/getPrimaryEmail", new JsonObject { ["AccountId"] = "12" }, 400, "ValidationException" },
        { "/startPrimaryEmailUpdate", new JsonObject { ["AccountId"] = "MEMBER", ["PrimaryEmail"] = "master@example.com" }, 409, "ConflictException" },
        { "/startPrimaryEmailUpdate", new JsonObject { ["AccountId"] = "MEMBER", ["PrimaryEmail"] = "nope" }, 400, "ValidationException" },
        { "/acceptPrimaryEmailUpdate", new JsonObject { ["AccountId"] = "MEMBER", ["PrimaryEmail"] = "x@example.com", ["Otp"] = "ABC123" }, 404, "ResourceNotFoundException" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invalid_calls_get_the_modeled_errors(string path, JsonObject body, int status, string code)
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "off");
        var member = await MemberAsync(proxy.Endpoint, "member@example.com");
        var request = RawAws.Rest(HttpMethod.Post, proxy.Endpoint, path, "account", JsonNode.Parse(body.ToJsonString().Replace("MEMBER", member, StringComparison.Ordinal))!.AsObject(), "us-east-1");

        using var response = await Chaos.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task A_wrong_one_time_password_is_refused_and_a_fixed_one_can_be_configured()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "otp=OTP123");
        var member = await MemberAsync(proxy.Endpoint, "fixed@example.com");
        JsonObject Body(string otp) => new() { ["AccountId"] = member, ["PrimaryEmail"] = "next@example.com", ["Otp"] = otp };
        await Chaos.CallAsync(RawAws.Rest(HttpMethod.Post, proxy.Endpoint, "/startPrimaryEmailUpdate", "account", new JsonObject { ["AccountId"] = member, ["PrimaryEmail"] = "next@example.com" }, "us-east-1"));

        var (wrong, _) = await Chaos.CallAsync(RawAws.Rest(HttpMethod.Post, proxy.Endpoint, "/acceptPrimaryEmailUpdate", "account", Body("WRONG1"), "us-east-1"));
        var (right, accepted) = await Chaos.CallAsync(RawAws.Rest(HttpMethod.Post, proxy.Endpoint, "/acceptPrimaryEmailUpdate", "account", Body("OTP123"), "us-east-1"));

        Assert.Equal((400, 200), (wrong, right));
        Assert.Equal("ACCEPTED", accepted.Text("Status"));
    }
}
