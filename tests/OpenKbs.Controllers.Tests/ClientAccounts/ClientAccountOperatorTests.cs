using System.Text.Json;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary>
/// The operator in process against the sandbox API server and moto, driven by kubectl and checked with the aws CLI
/// (two independent clients).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ClientAccountOperatorTests(MotoServerFixture moto, CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        Assert.Equal(0, (await AwsCli.RunAsync(moto.Endpoint, "organizations", "create-organization", "--feature-set", "ALL")).ExitCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_ClientAccount_becomes_Ready_moves_with_its_OU_and_is_released_on_delete()
    {
        var ns = await sandbox.CreateNamespaceAsync("ca");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns]);

        await ApplyAsync(ClientAccountApi.Manifest(ns, "acme", "aws+acme@example.com", "Clients/Manufacturing", "  displayName: ACME GmbH\n  tags:\n    cost-center: \"4711\"\n"));
        var ready = await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", ClientAccountApi.IsReady);
        var accountId = ready!.Status!.AccountId!;

        var table = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "ca", "-n", ns);
        Assert.Equal(0, table.ExitCode);
        Assert.Matches($@"acme\s+{accountId}\s+aws\+acme@example.com\s+Active\s+True", table.Output);

        var accounts = Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-accounts")).GetProperty("Accounts").EnumerateArray().ToList();
        var account = Assert.Single(accounts, a => a.GetProperty("Id").GetString() == accountId);
        Assert.Equal("aws+acme@example.com", account.GetProperty("Email").GetString());
        Assert.Equal("ACTIVE", account.GetProperty("Status").GetString());
        Assert.Equal("Manufacturing", await ParentNameAsync(accountId));
        var policies = Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-policies-for-target", "--target-id", accountId, "--filter", "SERVICE_CONTROL_POLICY"));
        Assert.Contains(policies.GetProperty("Policies").EnumerateArray(), p => p.GetProperty("Name").GetString() == "openkbs-region-guard-eu-central-1");

        var patch = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "patch", "ca", "acme", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"organizationalUnit\":\"Clients/Retail\"}}");
        Assert.Equal(0, patch.ExitCode);
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", c => ClientAccountApi.IsReady(c) && c!.Metadata.Generation == 2);
        Assert.Equal("Retail", await ParentNameAsync(accountId));

        Assert.Equal(0, (await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "delete", "ca", "acme", "-n", ns, "--wait=false")).ExitCode);
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", c => c is null);
        var after = Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "describe-account", "--account-id", accountId)).GetProperty("Account");
        Assert.Equal("ACTIVE", after.GetProperty("Status").GetString());
        var tags = Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-tags-for-resource", "--resource-id", accountId)).GetProperty("Tags").EnumerateArray();
        Assert.Contains(tags, t => t.GetProperty("Key").GetString() == Labels.Released);
        Assert.Equal(1, op.Log.Count("CreateAccount"));
    }

    [Fact]
    public async Task Deleting_a_ClientAccount_with_Close_closes_its_account()
    {
        var ns = await sandbox.CreateNamespaceAsync("ca");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns]);
        await ApplyAsync(ClientAccountApi.Manifest(ns, "acme", "aws+close@example.com", extra: "  deletionPolicy: Close\n"));
        var accountId = (await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", ClientAccountApi.IsReady))!.Status!.AccountId!;

        Assert.Equal(0, (await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "delete", "ca", "acme", "-n", ns, "--wait=false")).ExitCode);
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", c => c is null);

        var account = Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "describe-account", "--account-id", accountId)).GetProperty("Account");
        Assert.Equal("SUSPENDED", account.GetProperty("Status").GetString());
    }

    public static TheoryData<string, string, string, string, string, string> Rejected => new()
    {
        { "non-EU region", "aws+us@example.com", "  region: us-east-1\n  allowedRegions: [us-east-1]\n", ConditionReasons.TerminalRegionNotAllowed, "us-east-1", "spec.region: Unsupported value: \"us-east-1\"" },
        { "UK region", "aws+uk@example.com", "  allowedRegions: [eu-central-1, eu-west-2]\n", ConditionReasons.TerminalRegionNotAllowed, "'eu-west-2'", "spec.allowedRegions[1]: Unsupported value: \"eu-west-2\"" },
        { "invalid email", "not-an-email", string.Empty, ConditionReasons.TerminalInvalidEmail, "'not-an-email'", "spec.email: Invalid value" },
        { "OU path too deep", "aws+deep@example.com", "  organizationalUnit: A/B/C/D/E/F\n", ConditionReasons.TerminalInvalidSpec, "6 levels deep", "organizationalUnit may be at most 5 levels deep" },
    };

    /// <summary>
    /// The CRD refuses these at admission (kubectl shows the schema's message, as the Kubernetes API server words it:
    /// <c>The ClientAccount "bad" is invalid: spec.region: Unsupported value: ...</c>). Where the API server does not enforce
    /// the schema (validation off, or a server without it), the operator refuses them itself with a terminal condition:
    /// either way nothing reaches AWS.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Bad_input_is_refused_with_a_precise_message_and_nothing_is_created(string what, string email, string extra, string reason, string fragment, string admission)
    {
        var ns = await sandbox.CreateNamespaceAsync("bad");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns]);

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, ClientAccountApi.Manifest(ns, "bad", email, extra: extra), "apply", "-f", "-");

        if (apply.ExitCode != 0)
        {
            Assert.True(apply.Error.Contains("The ClientAccount \"bad\" is invalid", StringComparison.Ordinal), $"{what}: {apply.Error}");
            Assert.True(apply.Error.Contains(admission, StringComparison.Ordinal), $"{what}: {apply.Error}");
            Assert.Null(await ClientAccountApi.GetAsync(sandbox.Client, ns, "bad"));
        }
        else
        {
            var refused = await ClientAccountApi.WaitAsync(sandbox.Client, ns, "bad", c => ClientAccountApi.ReadyReason(c) is { } r && ConditionReasons.IsTerminal(r));
            var ready = Runtime.Conditions.Find(refused!.Status!.Conditions, ConditionTypes.Ready)!;
            Assert.True(reason == ready.Reason, $"{what}: {ready.Reason}: {ready.Message}");
            Assert.Contains(fragment, ready.Message, StringComparison.Ordinal);
            Assert.Equal(AccountState.Failed, refused.Status.State);
        }

        Assert.Equal(0, op.Log.Count("CreateAccount"));
    }

    [Fact]
    public async Task An_email_owned_in_another_namespace_and_an_adoption_outside_the_organization_are_refused_precisely()
    {
        var tenantA = await sandbox.CreateNamespaceAsync("tenant-a");
        var tenantB = await sandbox.CreateNamespaceAsync("tenant-b");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [tenantA, tenantB]);
        await ApplyAsync(ClientAccountApi.Manifest(tenantA, "acme", "aws+shared@example.com"));
        await ClientAccountApi.WaitAsync(sandbox.Client, tenantA, "acme", ClientAccountApi.IsReady);

        await ApplyAsync(ClientAccountApi.Manifest(tenantB, "copycat", "AWS+Shared@example.com"));
        await ApplyAsync(ClientAccountApi.Manifest(tenantB, "stranger", "aws+stranger@example.com", extra: "  adoptAccountId: \"999999999999\"\n"));

        var copycat = await ClientAccountApi.WaitAsync(sandbox.Client, tenantB, "copycat", c => ClientAccountApi.ReadyReason(c) == ConditionReasons.TerminalOwnershipConflict);
        var ready = Runtime.Conditions.Find(copycat!.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Contains($"{tenantA}/acme", ready.Message, StringComparison.Ordinal);
        Assert.Equal(AccountState.Failed, copycat.Status.State);
        var stranger = await ClientAccountApi.WaitAsync(sandbox.Client, tenantB, "stranger", c => ClientAccountApi.ReadyReason(c) == ConditionReasons.TerminalNotInOrganization);
        Assert.Contains("999999999999 is not an account of this organization", Runtime.Conditions.Find(stranger!.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Equal(1, op.Log.Count("CreateAccount"));

        var wide = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "ca", "-n", tenantB, "-o", "wide");
        Assert.Contains(ConditionReasons.TerminalOwnershipConflict, wide.Output, StringComparison.Ordinal);
    }

    private async Task ApplyAsync(string manifest)
    {
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, manifest, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
    }

    private async Task<string> ParentNameAsync(string accountId)
    {
        var parent = Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-parents", "--child-id", accountId)).GetProperty("Parents")[0].GetProperty("Id").GetString()!;
        return Json(await AwsCli.RunAsync(moto.Endpoint, "organizations", "describe-organizational-unit", "--organizational-unit-id", parent))
            .GetProperty("OrganizationalUnit").GetProperty("Name").GetString()!;
    }

    private static JsonElement Json(AwsCliResult result) => result.Json();
}
