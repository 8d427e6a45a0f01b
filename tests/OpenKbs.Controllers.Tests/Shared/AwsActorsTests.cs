using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Kube;

namespace OpenKbs.Controllers.Tests.Shared;

/// <summary>The actor of a reconcile names the field manager that last changed the spec, read from the object's managedFields.</summary>
public sealed class AwsActorsTests(CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task The_field_manager_that_last_changed_the_spec_is_the_actors()
    {
        var ns = await sandbox.CreateNamespaceAsync("actor");
        var applied = await Kubectl.RunAsync(sandbox.KubeconfigPath, ClientAccountApi.Manifest(ns, "acme", "aws+acme@example.com"), "apply", "-f", "-");
        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Equal("kubectl-client-side-apply", AwsActors.For((await ClientAccountApi.GetAsync(sandbox.Client, ns, "acme"))!, "ClientAccount").SpecManager);
        var edited = await Kubectl.RunAsync(
            sandbox.KubeconfigPath, null, "-n", ns, "patch", "clientaccount", "acme", "--type=merge", "--field-manager=alice-console", "-p", """{"spec":{"organizationalUnit":"Clients"}}""");
        Assert.True(edited.ExitCode == 0, edited.Error);
        var labelled = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "-n", ns, "label", "clientaccount", "acme", "team=ops", "--field-manager=labeller");
        Assert.True(labelled.ExitCode == 0, labelled.Error);

        var account = await ClientAccountApi.GetAsync(sandbox.Client, ns, "acme");
        var actor = AwsActors.For(account!, "ClientAccount");

        // The label change touched metadata only: the spec's last writer is still the patch.
        Assert.Equal("alice-console", actor.SpecManager);
        Assert.NotNull(actor.SpecChangedAt);
        Assert.Equal((ns, "ClientAccount", "acme"), (actor.Namespace, actor.Kind, actor.Name));
    }
}
