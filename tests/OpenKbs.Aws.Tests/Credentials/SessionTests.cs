using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Tests.Iam;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Credentials;

[Collection(MotoCollection.Name)]
public sealed class SessionTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const string AccessRole = "OrganizationAccountAccessRole";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sessions_last_exactly_900_seconds_and_are_reused_until_shortly_before_expiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new AwsTestHost(moto, time);
        var accountId = await CreateMemberAccountAsync(host);

        var member = host.Factory.ForAccount(accountId, AccessRole, "eu-central-1", AwsTestHost.Actor());
        await member.Iam.CreateRoleAsync(new CreateRoleRequest { RoleName = "app", AssumeRolePolicyDocument = IamClientTests.Trust });
        Assert.Equal($"arn:aws:iam::{accountId}:role/app", (await member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "app" })).Role!.Arn);

        // The role lives in the member account, not in the management account (moto attributes session calls to the assumed account).
        var management = host.Factory.ForManagement(AwsTestHost.Actor());
        var elsewhere = await Assert.ThrowsAsync<AwsServiceException>(() => management.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "app" }));
        Assert.True(elsewhere.IsNotFound);

        var assume = Assert.Single(host.Counter.Requests, r => r.Operation == "AssumeRole");
        Assert.Contains("DurationSeconds=900", assume.Body, StringComparison.Ordinal);
        Assert.Contains($"RoleArn=arn%3Aaws%3Aiam%3A%3A{accountId}%3Arole%2F{AccessRole}", assume.Body, StringComparison.Ordinal);
        Assert.Contains("RoleSessionName=openkbs-tenants-acme", assume.Body, StringComparison.Ordinal);
        Assert.Contains("/eu-central-1/sts/aws4_request", assume.Headers, StringComparison.Ordinal); // regional STS, signed for the EU region

        var sessions = host.Services.GetRequiredService<AssumeRoleSessions>();
        var session = await sessions.GetAsync(accountId, AccessRole, AwsTestHost.Actor(), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(900), session.Expiration - session.IssuedAt);
        Assert.NotNull(session.ReportedExpiration); // moto's STS reports now + DurationSeconds on the real clock
        Assert.True((session.ReportedExpiration.Value - session.Expiration).Duration() < TimeSpan.FromMinutes(1), $"{session.ReportedExpiration} vs {session.Expiration}");

        // 12 minutes later: 3 minutes left, more than the 2-minute margin: reused, also by another actor.
        time.Advance(TimeSpan.FromMinutes(12));
        await member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "app" });
        var other = host.Factory.ForAccount(accountId, AccessRole, "eu-central-1", AwsTestHost.Actor("other"));
        await other.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "app" });
        Assert.Equal(1, host.Counter.CountOf("AssumeRole"));

        // 13.5 minutes: 90 s left, inside the margin: a new 900-second session.
        time.Advance(TimeSpan.FromSeconds(90));
        await member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "app" });
        Assert.Equal(2, host.Counter.CountOf("AssumeRole"));
        var renewed = await sessions.GetAsync(accountId, AccessRole, AwsTestHost.Actor(), CancellationToken.None);
        Assert.Equal(time.GetUtcNow(), renewed.IssuedAt);
        Assert.Equal(TimeSpan.FromSeconds(900), renewed.Expiration - renewed.IssuedAt);
        Assert.Equal(2, host.Counter.CountOf("AssumeRole"));
    }

    [Fact]
    public async Task Concurrent_callers_share_one_assume_role_call()
    {
        using var host = new AwsTestHost(moto);
        var accountId = await CreateMemberAccountAsync(host);
        var member = host.Factory.ForAccount(accountId, AccessRole, "eu-central-1", AwsTestHost.Actor());
        await member.Iam.CreateRoleAsync(new CreateRoleRequest { RoleName = "app", AssumeRolePolicyDocument = IamClientTests.Trust });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "app" })));
        Assert.Equal(1, host.Counter.CountOf("AssumeRole"));
    }

    [Theory]
    [InlineData("openkbs", "tenants", "acme", "openkbs-tenants-acme")]
    [InlineData("openkbs", "a b", "c/d:e", "openkbs-a-b-c-d-e")]
    [InlineData("x", "", "", "x--")]
    public void Session_names_are_sanitised(string prefix, string ns, string name, string expected) =>
        Assert.Equal(expected, SessionNames.For(prefix, new OpenKbs.Aws.Audit.AwsActor { Controller = "c", Namespace = ns, Kind = "k", Name = name }));

    [Fact]
    public void Session_names_are_at_most_64_characters() =>
        Assert.Equal(64, SessionNames.Sanitize(new string('n', 200)).Length);

    [Theory]
    [InlineData("12345678901", AccessRole)]
    [InlineData("123456789012", "bad role")]
    public void Malformed_account_or_role_is_refused(string account, string role)
    {
        using var host = new AwsTestHost(moto);
        Assert.Throws<ArgumentException>(() => host.Factory.ForAccount(account, role, "eu-central-1", AwsTestHost.Actor()));
    }

    internal static async Task<string> CreateMemberAccountAsync(AwsTestHost host)
    {
        var organizations = host.Factory.ForManagement(AwsTestHost.Actor()).Organizations;
        await organizations.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
        var created = await organizations.CreateAccountAsync(new CreateAccountRequest { Email = "member@example.com", AccountName = "member" });
        return (await organizations.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = created.CreateAccountStatus!.Id! }))
            .CreateAccountStatus!.AccountId!;
    }
}
