using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Kube;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// Issue 6's bad input that admission refuses: kubectl apply of the example tenant with one change, against the sandbox API
/// server with the repository's CRDs. Each is refused with kube-apiserver's message naming the field, and nothing is stored (so
/// nothing can reach the operator or AWS). The input only the controller can judge is in <see cref="ProjectTerminalTests"/>.
/// </summary>
public sealed class ProjectAdmissionTests(CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    private const string WholeFunctionList = "(the functions and schedules)";

    private static readonly string TwentyOneFunctions = "  functions:\n" + string.Concat(Enumerable.Range(1, 21).Select(i => $"    - name: f{i}\n      handler: api.handler\n"));

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        { "21 functions", WholeFunctionList, TwentyOneFunctions, "spec.functions: Too many: 21: must have at most 20 items" },
        { "duplicate function names", "    - name: report\n      handler: report.handler", "    - name: api\n      handler: report.handler", "spec.functions[1]: Duplicate value: map[string]interface {}{\"name\":\"api\"}" },
        { "retention 36", "backupRetentionDays: 7", "backupRetentionDays: 36", "spec.database.backupRetentionDays: Invalid value: 36: spec.database.backupRetentionDays in body should be less than or equal to 35" },
        { "schedule naming an unknown function", "      function: report", "      function: missing", "spec.schedules: Invalid value: \"object\": every schedule's function must be the name of a function in spec.functions" },
        { "invalid cron", "expression: cron(0 2 * * ? *)", "expression: cron(0 2 * *)", "spec.schedules[0].expression: Invalid value: \"string\": expression must be rate(VALUE UNIT)" },
        { "cron with both day fields", "expression: cron(0 2 * * ? *)", "expression: cron(0 2 1 * MON *)", "in a cron expression either day-of-month or day-of-week must be '?'" },
        { "non-EU home region", "  region: eu-central-1", "  region: eu-west-2", "spec.region: Unsupported value: \"eu-west-2\"" },
        { "Zurich among the allowed regions", "    - eu-central-1\n", "    - eu-central-1\n    - eu-central-2\n", "spec.allowedRegions[1]: Unsupported value: \"eu-central-2\"" },
        { "ClientAccount in another namespace", "  clientAccountRef:\n    name: acme", "  clientAccountRef:\n    name: acme\n    namespace: other", "unknown field \"spec.clientAccountRef.namespace\"" },
        { "malformed sha256", "sha256: db87", "sha256: db87-", "spec.source.sha256: Invalid value: \"db87-38746d4db84a39318ff0fc955d9f4866557d6d9467c4371f4f67cde24a83\": spec.source.sha256 in body should match '^[a-f0-9]{64}$'" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_refused_with_a_precise_message_and_nothing_is_stored(string change, string find, string replace, string expected)
    {
        var ns = await sandbox.CreateNamespaceAsync("bad");
        var tenant = TenantWorld.ExampleTenant(ns);
        Assert.True(find == WholeFunctionList || tenant.Contains(find, StringComparison.Ordinal), $"the example tenant no longer contains '{find}' ({change})");
        var manifest = Edit(tenant, find, replace);

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, manifest, "apply", "-f", "-");
        var stored = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "openkbs", "-n", ns, "-o", "name");

        Assert.True(apply.ExitCode != 0, $"{change}: kubectl apply succeeded:\n{apply.Output}");
        Assert.True(apply.Error.Contains(expected, StringComparison.Ordinal), $"{change}: '{expected}' not in:\n{apply.Error}");
        var refusedKind = change.Contains("region", StringComparison.OrdinalIgnoreCase) ? "clientaccount" : "project";
        Assert.DoesNotContain($"{refusedKind}.openkbs.com/", stored.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unchanged_example_tenant_is_accepted()
    {
        var ns = await sandbox.CreateNamespaceAsync("good");
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, TenantWorld.ExampleTenant(ns), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        var stored = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "openkbs", "-n", ns, "-o", "name");
        Assert.Equal(["clientaccount.openkbs.com/acme", "project.openkbs.com/shop"], stored.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    private static string Edit(string tenant, string find, string replace)
    {
        if (find == WholeFunctionList)
        {
            // The example's functions are replaced, and its schedules (which name one of them) dropped.
            var start = tenant.IndexOf("  functions:\n", StringComparison.Ordinal);
            var storage = tenant.IndexOf("  storage:\n", StringComparison.Ordinal);
            var schedules = tenant.IndexOf("  schedules:\n", StringComparison.Ordinal);
            var keys = tenant.IndexOf("  apiKeys:\n", StringComparison.Ordinal);
            return tenant[..start] + replace + tenant[storage..schedules] + tenant[keys..];
        }

        var at = tenant.IndexOf(find, StringComparison.Ordinal);
        return tenant[..at] + replace + tenant[(at + find.Length)..];
    }
}
