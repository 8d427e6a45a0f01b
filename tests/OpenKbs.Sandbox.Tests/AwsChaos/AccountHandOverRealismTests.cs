using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>
/// The realism an account hand-over needs (docs/aws-chaos.md, "Account hand-over"): the verification code in a mailbox a person
/// can read, its expiry, AWS's refusal to let an account leave before it can stand alone, the removal, and the access role
/// deleted from inside the account no longer assumable. Driven with the aws CLI, as a client and an operator would.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccountHandOverRealismTests(MotoServerFixture moto) : IDisposable
{
    private readonly string _mail = Path.Combine(Path.GetTempPath(), "openkbs-mail-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_mail))
        {
            Directory.Delete(_mail, recursive: true);
        }
    }

    [Fact]
    public async Task The_verification_code_arrives_in_the_new_addresses_mailbox_as_a_file_and_over_http()
    {
        await using var proxy = await ProxyAsync("off");
        var member = await MemberAsync(proxy, "old@example.com");

        await Cli(proxy, "account", "start-primary-email-update", "--account-id", member, "--primary-email", "It@Client.example");

        var mail = Assert.Single(proxy.Engine.Mailbox.To("it@client.example"));
        var pending = proxy.Engine.PendingPrimaryEmailUpdate(member)!;
        Assert.Equal(pending.Otp, mail.Code);
        Assert.Contains($"Verification code: {pending.Otp}", mail.Body, StringComparison.Ordinal);
        Assert.Contains(member, mail.Subject, StringComparison.Ordinal);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_mail, "it@client.example")));
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith("From: Amazon Web Services", text, StringComparison.Ordinal);
        Assert.Contains("To: It@Client.example", text, StringComparison.Ordinal);
        Assert.Contains(pending.Otp, text, StringComparison.Ordinal);

        var http = JsonNode.Parse(await Chaos.Http.GetStringAsync(new Uri(proxy.Endpoint, "/__chaos/mail?address=it@client.example")))!;
        Assert.Equal(pending.Otp, http["mails"]![0]!.Text("code"));
    }

    [Fact]
    public async Task An_expired_code_is_refused_and_a_new_start_mails_a_new_code_that_works()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using var proxy = await ProxyAsync("otp-ttl=10m", time);
        var member = await MemberAsync(proxy, "old2@example.com");
        await Cli(proxy, "account", "start-primary-email-update", "--account-id", member, "--primary-email", "new2@example.com");
        var first = proxy.Engine.Mailbox.Latest("new2@example.com")!.Code!;

        time.Advance(TimeSpan.FromMinutes(10));
        var expired = await AwsCli.RunAsync(proxy.Endpoint, "account", "accept-primary-email-update", "--account-id", member, "--primary-email", "new2@example.com", "--otp", first);
        Assert.Equal("ValidationException", expired.ErrorCode);
        Assert.Contains("expired", expired.StandardError, StringComparison.Ordinal);

        await Cli(proxy, "account", "start-primary-email-update", "--account-id", member, "--primary-email", "new2@example.com");
        var second = proxy.Engine.Mailbox.Latest("new2@example.com")!.Code!;
        Assert.Equal(2, proxy.Engine.Mailbox.To("new2@example.com").Count);
        var wrong = await AwsCli.RunAsync(proxy.Endpoint, "account", "accept-primary-email-update", "--account-id", member, "--primary-email", "new2@example.com", "--otp", second == "AAAAAA" ? "BBBBBB" : "AAAAAA");
        Assert.Equal("ValidationException", wrong.ErrorCode);
        Assert.DoesNotContain("expired", wrong.StandardError, StringComparison.Ordinal);

        var accepted = (await Cli(proxy, "account", "accept-primary-email-update", "--account-id", member, "--primary-email", "new2@example.com", "--otp", second)).Json();
        Assert.Equal("ACCEPTED", accepted.GetProperty("Status").GetString());
        Assert.Equal(1, proxy.Engine.Stats.Realism("OtpExpired"));
    }

    [Fact]
    public async Task Leaving_is_refused_with_the_reason_of_what_is_missing_until_the_client_has_set_everything()
    {
        await using var proxy = await ProxyAsync("off");
        var member = await MemberAsync(proxy, "leaver@example.com");
        var reasons = new List<string?>();
        var steps = new (string Field, bool Value)[] { ("phoneVerified", true), ("eula", true), ("paymentMethod", true) };
        foreach (var (field, value) in steps)
        {
            var (status, refused) = await Chaos.CallAsync(RawAws.Organizations(proxy.Endpoint, "RemoveAccountFromOrganization", new JsonObject { ["AccountId"] = member }));
            Assert.Equal((400, "ConstraintViolationException"), (status, refused.Text("__type")));
            reasons.Add(refused["Reason"]?.GetValue<string>());

            // What the client does in the console, signed in as the account's root user.
            using var set = await Chaos.Http.PostAsJsonAsync(new Uri(proxy.Endpoint, "/__chaos/account/standalone"), new JsonObject { ["accountId"] = member, [field] = value });
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        }

        Assert.Equal(["ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION", "ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA", "MEMBER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED"], reasons);
        Assert.Equal(StandaloneReadiness.Complete, proxy.Engine.GetStandaloneReadiness(member));

        await Cli(proxy, "organizations", "remove-account-from-organization", "--account-id", member);

        var gone = await AwsCli.RunAsync(proxy.Endpoint, "organizations", "describe-account", "--account-id", member);
        Assert.Equal("AccountNotFoundException", gone.ErrorCode);
        var accounts = (await Cli(proxy, "organizations", "list-accounts")).Json().GetProperty("Accounts").EnumerateArray().Select(a => a.GetProperty("Id").GetString());
        Assert.DoesNotContain(member, accounts);
        Assert.Equal(3, proxy.Engine.Stats.Realism("LeaveRefused"));
    }

    [Fact]
    public async Task A_missing_account_and_bad_control_input_get_precise_answers_and_change_nothing()
    {
        await using var proxy = await ProxyAsync("off");
        await MemberAsync(proxy, "someone@example.com");

        var missing = await AwsCli.RunAsync(proxy.Endpoint, "organizations", "remove-account-from-organization", "--account-id", "111111111111");
        Assert.Equal("AccountNotFoundException", missing.ErrorCode);

        using var bad = await Chaos.Http.PostAsJsonAsync(new Uri(proxy.Endpoint, "/__chaos/account/standalone"), new JsonObject { ["accountId"] = "12", ["eula"] = true });
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("12-digit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_role_deleted_from_inside_the_account_can_no_longer_be_assumed()
    {
        await using var proxy = await ProxyAsync("realism=on,org-polls=0,empty-pages=0");
        var member = await MemberAsync(proxy, "owner@example.com");
        var roleArn = $"arn:aws:iam::{member}:role/OrganizationAccountAccessRole";
        var session = await AssumeAsync(proxy, roleArn);

        // The client, inside its account, deletes the role OpenKBS came in through.
        var deleted = await AwsCli.RunAsync(proxy.Endpoint, ["iam", "delete-role", "--role-name", "OrganizationAccountAccessRole"], session);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());

        var refused = await AwsCli.RunAsync(proxy.Endpoint, "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "openkbs", "--duration-seconds", "900");
        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Contains("is not authorized to perform: sts:AssumeRole", refused.StandardError, StringComparison.Ordinal);

        // Created again (e.g. the client invites OpenKBS back), it works again.
        var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + MotoDefaults.AccountId + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
        var recreated = await AwsCli.RunAsync(proxy.Endpoint, ["iam", "create-role", "--role-name", "OrganizationAccountAccessRole", "--assume-role-policy-document", trust], session);
        Assert.True(recreated.ExitCode == 0, recreated.ToString());
        await AssumeAsync(proxy, roleArn);
        Assert.Equal(1, proxy.Engine.Stats.Realism("DeletedRole"));
    }

    [Fact]
    public async Task Contact_information_put_by_the_member_is_read_by_the_management_account()
    {
        await using var proxy = await ProxyAsync("off");
        var member = await MemberAsync(proxy, "contact@example.com");
        var session = await AssumeAsync(proxy, $"arn:aws:iam::{member}:role/OrganizationAccountAccessRole");

        var before = await AwsCli.RunAsync(proxy.Endpoint, "account", "get-contact-information", "--account-id", member);
        Assert.Equal("ResourceNotFoundException", before.ErrorCode);
        var (incomplete, refusal) = await Chaos.CallAsync(RawAws.Rest(HttpMethod.Post, proxy.Endpoint, "/putContactInformation", "account",
            new JsonObject { ["AccountId"] = member, ["ContactInformation"] = new JsonObject { ["FullName"] = "Ada", ["AddressLine1"] = "Main 1", ["City"] = "Berlin", ["CountryCode"] = "DE", ["PostalCode"] = "10115" } },
            "us-east-1"));
        Assert.Equal(400, incomplete);
        Assert.Contains("PhoneNumber", refusal.Text("message"), StringComparison.Ordinal);
        var put = await AwsCli.RunAsync(proxy.Endpoint, ["account", "put-contact-information", "--contact-information", "FullName=Ada,AddressLine1=Main 1,City=Berlin,CountryCode=DE,PostalCode=10115,PhoneNumber=+4930123456"], session);
        Assert.True(put.ExitCode == 0, put.ToString());

        var after = (await Cli(proxy, "account", "get-contact-information", "--account-id", member)).Json();
        Assert.Equal("Ada", after.GetProperty("ContactInformation").GetProperty("FullName").GetString());
    }

    private async Task<AwsChaosProxy> ProxyAsync(string spec, TimeProvider? time = null)
    {
        await moto.ResetAsync();
        return await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions { Backend = moto.Endpoint, Spec = AwsChaosSpec.Parse(spec), Time = time, MailDirectory = _mail });
    }

    private static async Task<string> MemberAsync(AwsChaosProxy proxy, string email)
    {
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var created = await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", new JsonObject { ["Email"] = email, ["AccountName"] = "member" });
        var id = created.Text("CreateAccountStatus.Id");
        for (var i = 0; i < 10; i++)
        {
            var status = await Chaos.OrganizationsAsync(proxy.Endpoint, "DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id });
            if (status["CreateAccountStatus"]?["AccountId"]?.GetValue<string>() is { } accountId)
            {
                return accountId;
            }
        }

        throw new InvalidOperationException("the account was not created");
    }

    private static async Task<IReadOnlyDictionary<string, string>> AssumeAsync(AwsChaosProxy proxy, string roleArn)
    {
        var credentials = (await Cli(proxy, "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "client", "--duration-seconds", "900")).Json().GetProperty("Credentials");
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!,
            ["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!,
        };
    }

    private static async Task<AwsCliResult> Cli(AwsChaosProxy proxy, params string[] args)
    {
        var result = await AwsCli.RunAsync(proxy.Endpoint, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
