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
/// copies the same files), with leader election on: the example tenant (ClientAccount, Project under spec.audit.required,
/// whose AuditRun the operator creates, and the example's own AuditRun) reaches Ready
/// with no request refused, and every permission the rules grant is either used or explained. And the other way round:
/// without one rule the operator needs (update on projects/status), the refusal is named in its log and in a Warning
/// Event on the Project, the process keeps running with backoff (no crash loop, no hot loop), and it heals once the
/// rule is back.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OperatorUnderRbacTests(RbacSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<RbacSandboxFixture>
{
    /// <summary>
    /// Permissions of config/rbac that this run may not use, and why they are granted anyway. <c>Sometimes</c>: used or not
    /// depending on timing (a 409, a repeated Event), so an entry that this run did use is not stale; the others must be
    /// unused, or their explanation has to go.
    /// </summary>
    private static readonly Dictionary<string, (string Reason, bool Sometimes)> ExplainedUnused = new(StringComparer.Ordinal)
    {
        ["ClusterRole openkbs-operator rule 0: get projects.openkbs.com"] = ("StatusPublisher and FinalizerPatcher re-read a Project only after a 409 on a write; a checkpoint racing the end-of-pass write makes one, or not", true),
        ["ClusterRole openkbs-operator rule 0: get accounttransfers.openkbs.com"] = ("the example tenant has no AccountTransfer; TransferPass re-reads one before a checkpoint (StatusCheckpoints.GetAsync)", false),
        ["ClusterRole openkbs-operator rule 0: patch accounttransfers.openkbs.com"] = ("the example tenant has no AccountTransfer; its finalizer is added and removed with a merge patch (TransferGate, FinalizerPatcher)", false),
        ["ClusterRole openkbs-operator rule 1: get auditruns.openkbs.com"] = ("StatusPublisher re-reads an AuditRun only after a 409 on its status write", true),
        ["ClusterRole openkbs-operator rule 2: update accounttransfers/status.openkbs.com"] = ("the example tenant has no AccountTransfer", false),
        ["ClusterRole openkbs-operator rule 3: update configmaps"] = ("a ConfigMap is replaced only when it exists already: an AuditRun pass repeated after its summary was written, or an AccountTransfer hand-over", true),
        ["ClusterRole openkbs-operator rule 4: patch events"] = ("EventRecorder patches the count of an Event repeated with the same reason and message within the aggregation window; a run that converges at once may repeat none", true),
    };

    [Fact]
    public async Task The_example_tenant_reaches_ready_under_the_operator_rules_with_none_refused_and_none_unused()
    {
        await using var world = await TenantWorld.StartAsync(sandbox);
        await ApplyOperatorRbacAsync();
        sandbox.Authorization.ClearRecords();
        var ns = await sandbox.CreateNamespaceAsync("rbac");
        await using var op = StartOperator(world, ns);
        string Diagnostics() => op.Output + "\nrefused: " + string.Join("; ", Refused()) + "\n" + world.Diagnostics();

        // The example Project is under the audit gate, so the operator creates the version's AuditRun itself (create auditruns) before it deploys.
        await world.ApplyAsync(TenantWorld.ExampleTenant(ns));
        await ClientAccountApi.WaitAllReadyAsync(sandbox.Client, ns, 1, TenantWorld.Converge, diagnostics: Diagnostics);
        await ProjectApi.WaitReadyAsync(sandbox.Client, ns, "shop", TenantWorld.Converge, Diagnostics);
        await WaitAuditPassedAsync(ns, "shop-1-0-0-db8738746d4d", Diagnostics);
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
            report.AppendLine($"  {permission}: {(ExplainedUnused.TryGetValue(permission, out var why) ? why.Reason : "NOT EXPLAINED")}");
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
        Assert.Empty(ExplainedUnused.Where(e => !e.Value.Sometimes).Select(e => e.Key).Except(unused)); // an explanation for a permission that is now used must go
    }

    [Fact]
    public async Task Without_update_on_projects_status_the_refusal_is_named_in_log_and_event_the_operator_backs_off_and_heals_when_the_rule_is_back()
    {
        await using var world = await TenantWorld.StartAsync(sandbox);
        await ApplyOperatorRbacAsync(yaml =>
        {
            var edited = yaml.Replace("  - projects/status\n", string.Empty, StringComparison.Ordinal);
            Assert.NotEqual(yaml, edited); // the rule is in config/rbac as kustomize prints it
            return edited;
        });
        sandbox.Authorization.ClearRecords();
        var ns = await sandbox.CreateNamespaceAsync("rbac-deny");
        await using var op = StartOperator(world, ns);
        string Diagnostics() => op.Output + "\nrefused: " + string.Join("; ", Refused()) + "\n" + world.Diagnostics();

        await world.ApplyAsync(TenantWorld.ExampleTenant(ns));
        await ClientAccountApi.WaitAllReadyAsync(sandbox.Client, ns, 1, TenantWorld.Converge, diagnostics: Diagnostics); // the other kinds are not held up
        await WaitUntilAsync(() => DeniedStatusUpdates(ns) > 0, "no update of projects/status was refused", Diagnostics);
        var expected = $"cannot update resource \"projects/status\" in API group \"openkbs.com\" in the namespace \"{ns}\"";
        await WaitUntilAsync(() => op.Output.Contains(expected, StringComparison.Ordinal), "the operator's log does not name the refusal", Diagnostics);
        await WaitUntilAsync(async () => (await sandbox.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=shop")).Items
            .Any(e => e.Type == "Warning" && e.Message.Contains("403", StringComparison.Ordinal) && e.Message.Contains(expected, StringComparison.Ordinal)),
            "no Warning Event on Project shop names the 403", Diagnostics);
        Assert.All(Refused(), r => Assert.Contains("update projects/status.openkbs.com \"shop\"", r, StringComparison.Ordinal)); // nothing else is refused

        // Backoff, not a crash loop nor a hot loop: the process stays up and retries a few times in 10 s (backoff cap 2 s here).
        var before = DeniedStatusUpdates(ns);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var during = DeniedStatusUpdates(ns) - before;
        Assert.False(op.HasExited, "the operator exited:\n" + op.Output);
        Assert.InRange(during, 1, 30); // a pass writes status up to twice (checkpoint, end of pass); a hot loop would make hundreds

        await ApplyOperatorRbacAsync(); // the rule back: the next retry succeeds without a restart
        await ProjectApi.WaitReadyAsync(sandbox.Client, ns, "shop", TenantWorld.Converge, Diagnostics);
        Assert.False(op.HasExited);
        output.WriteLine($"refused update of projects/status: {DeniedStatusUpdates(ns)} times in all, {during} in 10 s of backoff");
        await op.StopAsync(TimeSpan.FromSeconds(30));
    }

    private OperatorProcess StartOperator(TenantWorld world, string ns)
    {
        var environment = world.Environment.ToDictionary();
        environment["POD_NAMESPACE"] = RbacSandboxFixture.SystemNamespace;
        return OperatorProcess.StartVerb(
            ["run", "--kubeconfig", sandbox.OperatorKubeconfig(), "--namespace", ns, "--leader-elect", "true", "--leader-election-namespace", RbacSandboxFixture.SystemNamespace,
             "--metrics-bind-address", "0", "--health-probe-bind-address", "0", "--log-format", "text", "--log-level", "Warning"],
            environment);
    }

    private long DeniedStatusUpdates(string ns) => sandbox.Authorization.Records
        .Where(r => !r.Key.Allowed && r.Key.User == RbacSandboxFixture.Operator.Name && r.Key.Verb == "update" && r.Key.Resource == "projects/status" && r.Key.Namespace == ns)
        .Sum(r => r.Value);

    private static Task WaitUntilAsync(Func<bool> condition, string failure, Func<string> diagnostics) =>
        WaitUntilAsync(() => Task.FromResult(condition()), failure, diagnostics);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + TenantWorld.Converge;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException(failure + "\n" + diagnostics());
            }

            await Task.Delay(250);
        }
    }

    private List<string> Refused() =>
        sandbox.Authorization.Denied.Where(r => r.User == RbacSandboxFixture.Operator.Name).Select(r => $"{r.Request}: {r.Reason}").ToList();

    /// <summary>config/rbac as kustomize builds it (edited by <paramref name="edit"/>), applied by the admin in openkbs-system.</summary>
    private async Task ApplyOperatorRbacAsync(Func<string, string>? edit = null)
    {
        if (await sandbox.Client.CoreV1.ListNamespaceAsync(fieldSelector: "metadata.name=" + RbacSandboxFixture.SystemNamespace) is { Items.Count: 0 })
        {
            await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = RbacSandboxFixture.SystemNamespace } });
        }

        var build = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "kustomize", Path.Combine(SandboxFixture.RepositoryRoot(), "config", "rbac"));
        Assert.True(build.ExitCode == 0, build.Error);
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, edit is null ? build.Output : edit(build.Output), "apply", "-n", RbacSandboxFixture.SystemNamespace, "-f", "-");
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
