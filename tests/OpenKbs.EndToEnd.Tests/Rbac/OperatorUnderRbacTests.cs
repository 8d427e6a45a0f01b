using System.Text;
using k8s;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Testing;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.Rbac;

/// <summary>
/// The operator as its own process, authenticated as its service account, allowed exactly the rules of
/// config/rbac (the ClusterRole of role.yaml bound cluster-wide, the leader-election Role in openkbs-system; the chart
/// copies the same files), with leader election on: the example tenant (ClientAccount, Project, AuditRun) reaches Ready
/// with no request refused, and every permission the rules grant is either used or explained.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OperatorUnderRbacTests(RbacSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<RbacSandboxFixture>
{
    /// <summary>Permissions of config/rbac that this run does not use, and why they are granted anyway.</summary>
    private static readonly Dictionary<string, string> ExplainedUnused = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public async Task The_example_tenant_reaches_ready_under_the_operator_rules_with_none_refused_and_none_unused()
    {
        await using var world = await TenantWorld.StartAsync(sandbox);
        await ApplyOperatorRbacAsync();
        var ns = await sandbox.CreateNamespaceAsync("rbac");
        var environment = world.Environment.ToDictionary();
        environment["POD_NAMESPACE"] = RbacSandboxFixture.SystemNamespace;
        await using var op = OperatorProcess.StartVerb(
            ["run", "--kubeconfig", sandbox.OperatorKubeconfig(), "--namespace", ns, "--leader-elect", "true", "--leader-election-namespace", RbacSandboxFixture.SystemNamespace,
             "--metrics-bind-address", "0", "--health-probe-bind-address", "0", "--log-format", "text", "--log-level", "Warning"],
            environment);
        string Diagnostics() => op.Output + "\nrefused: " + string.Join("; ", Refused()) + "\n" + world.Diagnostics();

        await world.ApplyAsync(TenantWorld.ExampleTenant(ns));
        await ClientAccountApi.WaitAllReadyAsync(sandbox.Client, ns, 1, TenantWorld.Converge, diagnostics: Diagnostics);
        await ProjectApi.WaitReadyAsync(sandbox.Client, ns, "shop", TenantWorld.Converge, Diagnostics);
        var audit = File.ReadAllText(Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "tenant_audit.yaml")).Replace("namespace: acme", $"namespace: {ns}", StringComparison.Ordinal);
        await world.ApplyAsync(audit);
        await WaitAuditPassedAsync(ns, "shop-1-0-0", Diagnostics);
        await op.StopAsync(TimeSpan.FromSeconds(30)); // a clean stop releases the Lease

        var refused = Refused();
        Assert.True(refused.Count == 0, "the operator was refused: " + string.Join("\n", refused) + "\n" + op.Output);

        var report = new StringBuilder("Permissions granted by config/rbac and not used in this run:\n");
        var unused = sandbox.Authorization.UnusedPermissions(RbacSandboxFixture.Operator)
            .Where(u => u.Role.Contains("openkbs-operator", StringComparison.Ordinal)).Select(u => u.ToString()).ToList();
        foreach (var permission in unused)
        {
            report.AppendLine($"  {permission}: {ExplainedUnused.GetValueOrDefault(permission, "NOT EXPLAINED")}");
        }

        report.AppendLine("Requests made, by the rule that allowed them:");
        foreach (var group in sandbox.Authorization.Records.Where(r => r.Key.User == RbacSandboxFixture.Operator.Name && r.Key.Allowed)
                     .GroupBy(r => r.Key.Source is null ? r.Key.Reason : $"{r.Key.Source.Role} rule {r.Key.Source.RuleIndex}")
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var verbs = group.GroupBy(r => $"{r.Key.Verb} {r.Key.Resource}{(r.Key.ApiGroup.Length > 0 ? "." + r.Key.ApiGroup : string.Empty)}{r.Key.Path}")
                .Select(g => $"{g.Key} x{g.Sum(r => r.Value)}").Order(StringComparer.Ordinal);
            report.AppendLine($"  {group.Key}: {string.Join(", ", verbs)}");
        }

        output.WriteLine(report.ToString());
        Assert.True(unused.All(ExplainedUnused.ContainsKey), report.ToString());
        Assert.Empty(ExplainedUnused.Keys.Except(unused)); // an explanation for a permission that is now used must go
    }

    private List<string> Refused() =>
        sandbox.Authorization.Denied.Where(r => r.User == RbacSandboxFixture.Operator.Name).Select(r => $"{r.Request}: {r.Reason}").ToList();

    /// <summary>config/rbac as kustomize builds it, applied by the admin in openkbs-system.</summary>
    private async Task ApplyOperatorRbacAsync()
    {
        if (await sandbox.Client.CoreV1.ListNamespaceAsync(fieldSelector: "metadata.name=" + RbacSandboxFixture.SystemNamespace) is { Items.Count: 0 })
        {
            await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = RbacSandboxFixture.SystemNamespace } });
        }

        var build = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "kustomize", Path.Combine(SandboxFixture.RepositoryRoot(), "config", "rbac"));
        Assert.True(build.ExitCode == 0, build.Error);
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, build.Output, "apply", "-n", RbacSandboxFixture.SystemNamespace, "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
    }

    private async Task WaitAuditPassedAsync(string ns, string name, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + TenantWorld.Converge;
        AuditRun? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await KubeObjects.GetOrNullAsync<AuditRun>(sandbox.Client, ns, AuditRun.KubePlural, name);
            if (run?.Status?.Phase == AuditPhase.Passed)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"AuditRun {ns}/{name} did not pass: phase {run?.Status?.Phase}, conditions "
            + string.Join("; ", run?.Status?.Conditions.Select(c => $"{c.Type}={c.Status} {c.Reason} {c.Message}") ?? []) + "\n" + diagnostics());
    }
}
