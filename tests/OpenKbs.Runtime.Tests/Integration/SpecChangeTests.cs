using System.Text.Json;
using OpenKbs.Testing.Kube;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>
/// The cache keeps who last changed the spec (one managedFields entry) for the audit trail, and the status write does not
/// send it back: the API server's field ownership stays as it was.
/// </summary>
[Collection(RuntimeSandboxCollection.Name)]
public sealed class SpecChangeTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task The_reconciler_sees_the_spec_s_last_manager_and_the_status_write_keeps_field_ownership()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);

        await KubectlAsync(
            $$$"""{"apiVersion":"test.openkbs.com/v1","kind":"Widget","metadata":{"name":"owned","namespace":"{{{ns}}}"},"spec":{"color":"red","mode":"slow"} }""",
            "apply", "--server-side", "--field-manager=alice", "-f", "-");
        await sandbox.Client.WaitForWidgetAsync(ns, "owned", w => w.Status?.SeenColor == "red", "reconciled");
        Assert.Equal("alice/Apply", log.For("owned")[^1].Managers);

        // A label is metadata: the spec's last manager stays alice.
        await KubectlAsync(null, "-n", ns, "label", "widget", "owned", "team=ops", "--field-manager=labeller");
        await KubectlAsync(null, "-n", ns, "patch", "widget", "owned", "--type=merge", "--field-manager=bob", "-p", """{"spec":{"color":"green"}}""");
        await sandbox.Client.WaitForWidgetAsync(ns, "owned", w => w.Status?.SeenColor == "green", "reconciled again");
        Assert.Equal("bob/Update", log.For("owned")[^1].Managers);

        // The status writes did not replace the server's managedFields with the cache's one entry.
        var live = await sandbox.Client.GetWidgetAsync(ns, "owned");
        var fields = live!.Metadata.ManagedFields.ToDictionary(m => m.Manager + (m.Subresource is { Length: > 0 } s ? "/" + s : string.Empty), m => JsonSerializer.Serialize(m.FieldsV1));
        Assert.Contains("f:mode", fields["alice"], StringComparison.Ordinal);
        Assert.Contains("f:color", fields["bob"], StringComparison.Ordinal);
        Assert.Contains("f:team", fields["labeller"], StringComparison.Ordinal);
    }

    private async Task KubectlAsync(string? input, params string[] args)
    {
        var result = await Kubectl.RunAsync(sandbox.KubeconfigPath, input, args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.Error}");
    }
}
