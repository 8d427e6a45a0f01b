using OpenKbs.Aws.AccountManagement.Model;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Realism;

/// <summary>
/// The calls of an account hand-over through our clients, against moto with the sandbox's realism where moto lacks the behaviour:
/// the root-email change with its one-time code, AWS's refusal to let an account leave before it can stand alone (the reason
/// surfaces on <see cref="AwsServiceException.Reason"/>, terminal, sent once), the removal, and a fresh AssumeRole that proves
/// the access role is gone once the client deleted it inside the account.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccountHandOverClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const string Role = "OrganizationAccountAccessRole";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_root_email_changes_with_the_mailed_code_and_wrong_codes_are_terminal_validation_errors_sent_once()
    {
        var engine = new AwsChaosEngine("off");
        using var realism = new AwsChaosHandler(engine);
        using var host = new AwsTestHost(moto, faults: realism);
        var management = host.Factory.ForManagement(AwsTestHost.Actor());
        var member = await MemberAsync(management.Organizations, "before@example.com");

        var started = await management.Account.StartPrimaryEmailUpdateAsync(new StartPrimaryEmailUpdateRequest { AccountId = member, PrimaryEmail = "after@client.example" });
        Assert.Equal("PENDING", started.Status);
        var code = engine.Mailbox.Latest("after@client.example")!.Code!;

        var wrong = await Assert.ThrowsAsync<AwsServiceException>(() => management.Account.AcceptPrimaryEmailUpdateAsync(
            new AcceptPrimaryEmailUpdateRequest { AccountId = member, PrimaryEmail = "after@client.example", Otp = code == "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ" }));
        Assert.Equal((AwsErrorCode.ValidationException, AwsErrorClassification.Terminal, 1), (wrong.ErrorCode, wrong.Classification, wrong.Attempts));
        var unknown = await Assert.ThrowsAsync<AwsServiceException>(() => management.Account.GetPrimaryEmailAsync(new GetPrimaryEmailRequest { AccountId = "111111111111" }));
        Assert.Equal(AwsErrorCode.ResourceNotFoundException, unknown.ErrorCode);
        Assert.True(unknown.IsNotFound);

        var accepted = await management.Account.AcceptPrimaryEmailUpdateAsync(new AcceptPrimaryEmailUpdateRequest { AccountId = member, PrimaryEmail = "after@client.example", Otp = code });
        Assert.Equal("ACCEPTED", accepted.Status);
        Assert.Equal("after@client.example", (await management.Account.GetPrimaryEmailAsync(new GetPrimaryEmailRequest { AccountId = member })).PrimaryEmail);

        // Audited with the address, never the code.
        var audited = host.Audit.Records.Where(r => r.Action.StartsWith("account:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["account:StartPrimaryEmailUpdate", "account:AcceptPrimaryEmailUpdate", "account:AcceptPrimaryEmailUpdate"], audited.Select(r => r.Action));
        Assert.Equal([AuditOutcome.Success, AuditOutcome.Failure, AuditOutcome.Success], audited.Select(r => r.Outcome));
        Assert.DoesNotContain(audited, r => r.Details.Values.Any(v => v.Contains(code, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Leaving_is_refused_with_the_constraint_reason_until_the_account_stands_alone_then_the_account_leaves()
    {
        var engine = new AwsChaosEngine("off");
        using var realism = new AwsChaosHandler(engine);
        using var host = new AwsTestHost(moto, faults: realism);
        var org = host.Factory.ForManagement(AwsTestHost.Actor()).Organizations;
        var member = await MemberAsync(org, "leaving@example.com");

        engine.SetStandaloneReadiness(member, new StandaloneReadiness(PhoneVerified: true, Eula: true));
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => org.RemoveAccountFromOrganizationAsync(new RemoveAccountFromOrganizationRequest { AccountId = member }));
        Assert.Equal(AwsErrorCode.ConstraintViolationException, refused.ErrorCode);
        Assert.Equal(ConstraintViolationReasons.MemberAccountPaymentInstrumentRequired, refused.Reason);
        Assert.Equal((AwsErrorClassification.Terminal, 1), (refused.Classification, refused.Attempts));

        engine.SetStandaloneReadiness(member, StandaloneReadiness.Complete);
        await org.RemoveAccountFromOrganizationAsync(new RemoveAccountFromOrganizationRequest { AccountId = member });

        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = member }));
        Assert.Equal(AwsErrorCode.AccountNotFoundException, gone.ErrorCode);
        Assert.DoesNotContain((await org.ListAccountsAsync(new ListAccountsRequest())).Accounts, a => a.Id == member);
        var removals = host.Audit.Records.Where(r => r.Action == "organizations:RemoveAccountFromOrganization").ToList();
        Assert.Equal([AuditOutcome.Failure, AuditOutcome.Success], removals.Select(r => r.Outcome));
        Assert.All(removals, r => Assert.Equal(member, r.Resource));
    }

    [Fact]
    public async Task A_fresh_assume_role_probe_is_refused_once_the_client_deleted_the_role_inside_the_account()
    {
        var engine = new AwsChaosEngine("off");
        using var realism = new AwsChaosHandler(engine);
        using var host = new AwsTestHost(moto, faults: realism);
        var management = host.Factory.ForManagement(AwsTestHost.Actor());
        var member = await MemberAsync(management.Organizations, "owner@example.com");
        var actor = AwsTestHost.Actor();

        Assert.Equal($"arn:aws:iam::{member}:role/{Role}", await host.Factory.ProbeAssumeRoleAsync(member, Role, actor));

        // The client deletes the role from inside its account (here through a session of the role itself).
        var inside = host.Factory.ForAccount(member, Role, "eu-central-1", actor);
        Assert.Equal(Role, (await inside.Iam.GetRoleAsync(new GetRoleRequest { RoleName = Role })).Role!.RoleName);
        await inside.Iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = Role });
        var assumesBefore = host.Counter.CountOf("AssumeRole");

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => host.Factory.ProbeAssumeRoleAsync(member, Role, actor));
        Assert.Equal(AwsErrorCode.AccessDenied, refused.ErrorCode);
        Assert.Equal(AwsErrorClassification.Terminal, refused.Classification);

        // The cached session was dropped: the member clients must assume again, and are refused too.
        var after = await Assert.ThrowsAsync<AwsServiceException>(() => inside.Iam.GetRoleAsync(new GetRoleRequest { RoleName = Role }));
        Assert.Equal(AwsErrorCode.AccessDenied, after.ErrorCode);
        Assert.Equal(2, host.Counter.CountOf("AssumeRole") - assumesBefore);
    }

    private static async Task<string> MemberAsync(IOrganizationsClient org, string email)
    {
        await org.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
        var created = await org.CreateAccountAsync(new CreateAccountRequest { Email = email, AccountName = "member", RoleName = Role });
        return (await org.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = created.CreateAccountStatus!.Id! })).CreateAccountStatus!.AccountId!;
    }
}
