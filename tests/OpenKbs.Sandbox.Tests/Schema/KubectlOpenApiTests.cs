using System.Diagnostics;
using OpenKbs.Testing;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>
/// The OpenAPI documents, judged by the real kubectl against the sandbox API server with the repository's CRDs:
/// explain over /openapi/v3 (and v2), and apply's field-validation probe, which must find the fieldValidation
/// parameter in the v3 document instead of falling back to OpenAPI v2.
/// </summary>
public sealed class KubectlOpenApiTests(KubectlOpenApiTests.Fixture fixture) : IClassFixture<KubectlOpenApiTests.Fixture>
{
    [SkippableTheory]
    [InlineData("clientaccount.spec", "FIELD: spec <Object>", "email\t<string> -required-")]
    [InlineData("clientaccount.metadata", "FIELD: metadata <ObjectMeta>", "labels\t<map[string]string>")]
    [InlineData("project.spec.functions", "FIELD: functions <[]Object>", "name\t<string> -required-")]
    [InlineData("clientaccounts", "KIND:       ClientAccount", "status\t<Object>")]
    public async Task Explain_reads_the_v3_document(string field, string header, string line)
    {
        var (code, output) = await fixture.KubectlAsync("explain", field);

        Assert.True(code == 0, output);
        Assert.Contains("GROUP:      openkbs.com", output, StringComparison.Ordinal);
        Assert.Contains(header, output, StringComparison.Ordinal);
        Assert.Contains(line, output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Explain_over_v2_works_too()
    {
        var (code, output) = await fixture.KubectlAsync(["explain", "clientaccount.spec.region"], ("KUBECTL_EXPLAIN_OPENAPIV3", "false"));

        Assert.True(code == 0, output);
        Assert.Contains("FIELD: region <string>", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_finds_server_side_field_validation_in_the_v3_document()
    {
        var manifest = Path.Combine(fixture.WorkDirectory, "probe.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: openkbs.com/v1alpha1
            kind: ClientAccount
            metadata: {name: probe, namespace: default}
            spec: {email: probe@example.com, region: eu-central-1}
            """);

        var (code, output) = await fixture.KubectlAsync("apply", "-f", manifest, "--dry-run=client", "--validate=strict", "-v=7");

        Assert.True(code == 0, output);
        Assert.DoesNotContain("falling back to legacy", output, StringComparison.Ordinal);
        Assert.Contains("created (dry run)", output, StringComparison.Ordinal);
    }

    /// <summary>A sandbox with the repository CRDs and a kubectl runner.</summary>
    public sealed class Fixture : SandboxFixture
    {
        protected override IEnumerable<string> CrdDirectories => [RepositoryCrdsDirectory];

        public Task<(int Code, string Output)> KubectlAsync(params string[] args) => KubectlAsync(args, []);

        public async Task<(int Code, string Output)> KubectlAsync(string[] args, params (string Name, string Value)[] environment)
        {
            Skip.If(FindKubectl() is null, "kubectl is not on PATH");
            var start = new ProcessStartInfo("kubectl")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in args.Append("--kubeconfig").Append(KubeconfigPath))
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["KUBECACHEDIR"] = Path.Combine(WorkDirectory, "kubecache");
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }

        private static string? FindKubectl() =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, "kubectl"))
                .FirstOrDefault(File.Exists);
    }
}
