using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Shared;

/// <summary>
/// The running operator's audit records name the field manager that last changed the object's spec: the runtime's cache
/// keeps that one managedFields entry (it drops the rest), and the reconcile's actor carries it into every AWS call.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SpecManagerAuditTests(MotoServerFixture moto, CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        Assert.Equal(0, (await AwsCli.RunAsync(moto.Endpoint, "organizations", "create-organization", "--feature-set", "ALL")).ExitCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Audit_records_carry_the_field_manager_that_last_changed_the_spec()
    {
        var ns = await sandbox.CreateNamespaceAsync("actor");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns]);

        await KubectlAsync(ClientAccountApi.Manifest(ns, "acme", "aws+actor@example.com", "Clients/Manufacturing"), "apply", "--server-side", "--field-manager=alice-console", "-f", "-");
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", ClientAccountApi.IsReady);
        var created = Assert.Single(op.Audit.Records, r => r.Action.EndsWith(":CreateAccount", StringComparison.Ordinal) && r.Outcome == "Success");
        Assert.Equal(("alice-console", "acme", ns), (created.Actor.SpecManager, created.Actor.Name, created.Actor.Namespace));
        Assert.NotNull(created.Actor.SpecChangedAt);
        Assert.All(op.Audit.Records, r => Assert.Equal("alice-console", r.Actor.SpecManager));
        var before = op.Audit.Records.Count;

        // A label is not a spec change; the OU move that follows is bob's.
        await KubectlAsync(null, "-n", ns, "label", "ca", "acme", "team=ops", "--field-manager=labeller");
        await KubectlAsync(null, "-n", ns, "patch", "ca", "acme", "--type=merge", "--field-manager=bob-cli", "-p", """{"spec":{"organizationalUnit":"Clients/Retail"}}""");
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", c => ClientAccountApi.IsReady(c) && c!.Metadata.Generation == 2);
        var after = op.Audit.Records.Skip(before).ToList();
        var moved = Assert.Single(after, r => r.Action.EndsWith(":MoveAccount", StringComparison.Ordinal) && r.Outcome == "Success");
        Assert.True(moved.Actor.SpecChangedAt >= created.Actor.SpecChangedAt);
        Assert.All(after, r => Assert.Equal("bob-cli", r.Actor.SpecManager));
    }

    private async Task KubectlAsync(string? input, params string[] args)
    {
        var result = await Kubectl.RunAsync(sandbox.KubeconfigPath, input, args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.Error}");
    }
}
