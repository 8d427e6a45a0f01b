using System.Diagnostics;
using OpenKbs.Testing;

namespace OpenKbs.Api.Tests.Examples;

/// <summary>The sandbox API server with the repository's crds/ installed.</summary>
public sealed class CrdSandboxFixture : SandboxFixture
{
    protected override IEnumerable<string> CrdDirectories => [Path.Combine(Tests.RepositoryRoot.Find(), "crds")];
}

/// <summary>What a user sees with kubectl: the example tenant applies, the category and columns work, bad input is refused.</summary>
public sealed class KubectlTests(CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    private static readonly string Root = RepositoryRoot.Find();

    [SkippableFact]
    public async Task Example_tenant_applies_and_lists_under_the_openkbs_category_with_its_columns()
    {
        Skip.If(!Kubectl.Exists, "kubectl is not installed");

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, "apply", "-f", Path.Combine(Root, "docs/examples/tenant.yaml"));
        var category = await Kubectl.RunAsync(sandbox.KubeconfigPath, "get", "openkbs", "-n", "acme", "-o", "name");
        var accounts = await Kubectl.RunAsync(sandbox.KubeconfigPath, "get", "ca", "-n", "acme");
        var wide = await Kubectl.RunAsync(sandbox.KubeconfigPath, "get", "proj", "-n", "acme", "-o", "wide");

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("clientaccount.openkbs.com/acme created", apply.Output, StringComparison.Ordinal);
        Assert.Contains("project.openkbs.com/shop created", apply.Output, StringComparison.Ordinal);
        Assert.Equal(["clientaccount.openkbs.com/acme", "project.openkbs.com/shop"], category.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal(["NAME", "ACCOUNT-ID", "EMAIL", "STATE", "READY", "AGE"], accounts.Output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("aws+acme@example.com", accounts.Output, StringComparison.Ordinal);
        Assert.Equal(
            ["NAME", "ACCOUNT", "VERSION", "FUNCTIONS", "READY", "ENDPOINT", "AGE", "TRANSFERRED", "DESIRED", "ACCOUNT-ID", "REASON"],
            wide.Output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public async Task A_non_eu_region_and_too_many_functions_are_refused_with_precise_messages()
    {
        Skip.If(!Kubectl.Exists, "kubectl is not installed");
        var ns = await sandbox.CreateNamespaceAsync("bad");
        Skip.If(
            await ServerAcceptsObjectWithoutRequiredSpecAsync(ns),
            "the sandbox API server does not validate custom resources against their schema yet (its SchemaAdapter is pass-through); SandboxValidationTests checks the same messages through the sandbox's validator library");
        var functions = string.Join("\n", Enumerable.Range(1, 21).Select(i => $"    - name: f{i}\n      handler: api.handler"));
        var manifest = Path.Combine(sandbox.WorkDirectory, ns + ".yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: openkbs.com/v1alpha1
            kind: ClientAccount
            metadata:
              name: london
              namespace: {ns}
            spec:
              email: aws+london@example.com
              region: eu-west-2
            ---
            apiVersion: openkbs.com/v1alpha1
            kind: Project
            metadata:
              name: big
              namespace: {ns}
            spec:
              clientAccountRef:
                name: london
              version: "1"
              source:
                s3:
                  bucket: openkbs-artifacts
                  key: big.zip
                sha256: {new string('0', 64)}
              functions:
            {functions}
            """);

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, "apply", "-f", manifest);

        Assert.True(apply.ExitCode != 0, apply.ToString());
        Assert.Contains("spec.region: Unsupported value: \"eu-west-2\"", apply.Error, StringComparison.Ordinal);
        Assert.Contains("spec.functions: Too many: 21: must have at most 20 items", apply.Error, StringComparison.Ordinal);
    }

    /// <summary>Any schema-validating server refuses an object without its required spec; a pass-through one stores it.</summary>
    private async Task<bool> ServerAcceptsObjectWithoutRequiredSpecAsync(string ns)
    {
        var probe = Path.Combine(sandbox.WorkDirectory, ns + "-probe.yaml");
        await File.WriteAllTextAsync(probe, $"apiVersion: openkbs.com/v1alpha1\nkind: AuditRun\nmetadata:\n  name: probe\n  namespace: {ns}\n");
        return (await Kubectl.RunAsync(sandbox.KubeconfigPath, "create", "-f", probe)).ExitCode == 0;
    }

    private static class Kubectl
    {
        public static bool Exists { get; } =
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "kubectl")));

        public static async Task<Result> RunAsync(string kubeconfig, params string[] arguments)
        {
            var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--kubeconfig");
            start.ArgumentList.Add(kubeconfig);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kubecache");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return new Result(process.ExitCode, await output, await error);
        }
    }

    private sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
