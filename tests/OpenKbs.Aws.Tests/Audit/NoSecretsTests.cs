using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws.AccountManagement.Model;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Tests.Credentials;
using OpenKbs.Aws.Tests.Iam;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Audit;

[Collection(MotoCollection.Name)]
public sealed class NoSecretsTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task No_known_secret_reaches_any_sink_log_or_exception()
    {
        const string Otp = "Zq7Xw9";
        const string PolicySecret = "sk_live_OPENKBS_SECRET_IN_POLICY_42";
        using var host = new AwsTestHost(moto);
        var accountId = await SessionTests.CreateMemberAccountAsync(host);
        var member = host.Factory.ForAccount(accountId, "OrganizationAccountAccessRole", "eu-central-1", AwsTestHost.Actor());
        var secretPolicy = IamClientTests.Inline.Replace("shop-assets", PolicySecret, StringComparison.Ordinal);
        await member.Iam.CreateRoleAsync(new CreateRoleRequest { RoleName = "app", AssumeRolePolicyDocument = IamClientTests.Trust });
        await member.Iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = "app", PolicyName = "data", PolicyDocument = secretPolicy });

        var failures = new List<Exception>();
        var account = host.Factory.ForManagement(AwsTestHost.Actor()).Account;
        failures.Add(await Assert.ThrowsAsync<AwsServiceException>(() => account.AcceptPrimaryEmailUpdateAsync(
            new AcceptPrimaryEmailUpdateRequest { AccountId = accountId, PrimaryEmail = "new@example.com", Otp = Otp })));
        failures.Add(await Assert.ThrowsAsync<AwsServiceException>(() => member.Iam.PutRolePolicyAsync(
            new PutRolePolicyRequest { RoleName = "missing", PolicyName = "data", PolicyDocument = secretPolicy })));

        var session = await host.Services.GetRequiredService<AssumeRoleSessions>().GetAsync(accountId, "OrganizationAccountAccessRole", AwsTestHost.Actor(), CancellationToken.None);
        var signatures = host.Counter.Requests
            .SelectMany(r => r.Headers.Split('\n'))
            .Where(h => h.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
            .Select(h => h[(h.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..])
            .ToList();
        Assert.NotEmpty(signatures);
        string[] secrets =
        [
            AwsTestHost.ManagementSecret, session.Credentials.SecretKey, session.Credentials.Token, Otp, PolicySecret, .. signatures,
        ];
        Assert.All(secrets, s => Assert.False(string.IsNullOrEmpty(s)));

        var audit = host.Audit.Records.ToList();
        Assert.Contains(audit, r => r.Action == "account:AcceptPrimaryEmailUpdate" && r.Outcome == AuditOutcome.Failure);
        Assert.Contains(audit, r => r.Action == "iam:PutRolePolicy" && r.Outcome == AuditOutcome.Success);
        var outputs = new Dictionary<string, string>
        {
            ["audit records"] = JsonSerializer.Serialize(audit),
            ["logs (all levels, incl. the structured audit log sink)"] = host.Logs.All,
            ["exceptions"] = string.Join('\n', failures.Select(f => f.ToString())),
            ["session ToString"] = session.ToString(),
        };
        Assert.Contains("AWS audit iam:PutRolePolicy", host.Logs.All, StringComparison.Ordinal);
        foreach (var (where, text) in outputs)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret reached the {where}");
            }
        }
    }

    [Theory]
    [InlineData("MasterUserPassword")]
    [InlineData("SecretAccessKey")]
    [InlineData("SessionToken")]
    [InlineData("Plaintext")]
    [InlineData("CiphertextBlob")]
    [InlineData("Authorization")]
    [InlineData("ApiKey")]
    [InlineData("ConnectionString")]
    [InlineData("Otp")]
    public void Secret_looking_detail_names_are_redacted(string name)
    {
        var details = new AuditDetails().Add(name, "hunter2");
        Assert.Equal(AuditDetails.Redacted, details[name]);
    }

    [Fact]
    public void Documents_are_digested_not_copied()
    {
        var details = new AuditDetails().AddDigest("PolicyDocument", """{"secret":"value"}""");
        Assert.StartsWith("sha256:", details["PolicyDocument"], StringComparison.Ordinal);
        Assert.DoesNotContain("value", details["PolicyDocument"], StringComparison.Ordinal);
    }
}
