using System.Text.Json;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;

namespace OpenKbs.EndToEnd.Tests.ClientAccounts;

/// <summary><c>openkbs run</c> as its own process, configured like the sandbox's aws.env, against the sandbox API server and the realism proxy.</summary>
[Collection(MotoCollection.Name)]
public sealed class OpenKbsRunTests(MotoServerFixture moto, CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task The_operator_process_vends_an_account_that_kubectl_and_the_aws_CLI_both_see()
    {
        await using var proxy = await OrganizationProxy.StartAsync(moto, "realism=on,org-polls=2,seed=1");
        var ns = await sandbox.CreateNamespaceAsync("run");
        var environment = OperatorProcess.AwsEnvironment(proxy.Endpoint).Concat(OperatorProcess.FastWaits()).ToDictionary();
        await using var op = OperatorProcess.Start(sandbox.KubeconfigPath, [ns], environment);

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, ClientAccountApi.Manifest(ns, "acme", "aws+acme@example.com", "Clients/Manufacturing"), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        var ready = Assert.Single(await ClientAccountApi.WaitAllReadyAsync(sandbox.Client, ns, 1, TimeSpan.FromMinutes(2), diagnostics: () => op.Output));

        var accountId = ready.Status!.AccountId!;
        var table = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "ca", "-n", ns);
        Assert.Matches($@"acme\s+{accountId}\s+aws\+acme@example.com\s+Active\s+True", table.Output);
        var accounts = (await AwsCli.RunAsync(proxy.Endpoint, "organizations", "list-accounts")).Json().GetProperty("Accounts").EnumerateArray();
        Assert.Contains(accounts, a => a.GetProperty("Id").GetString() == accountId && a.GetProperty("Status").GetString() == "ACTIVE");
        var parent = (await AwsCli.RunAsync(proxy.Endpoint, "organizations", "list-parents", "--child-id", accountId)).Json().GetProperty("Parents")[0].GetProperty("Id").GetString()!;
        Assert.Equal(ready.Status.OrganizationalUnitId, parent);
        var events = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "events", "-n", ns, "-o", "json");
        var reasons = JsonDocument.Parse(events.Output).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reason").GetString()).ToHashSet();
        Assert.Contains("AwsCreateAccount", reasons);
        Assert.Contains("CreatingAccount", reasons);
        Assert.Contains("AccountCreated", reasons);
    }
}
