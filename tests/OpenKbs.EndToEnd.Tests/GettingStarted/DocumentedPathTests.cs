using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing;
using OpenKbs.Testing.Kube;

namespace OpenKbs.EndToEnd.Tests.GettingStarted;

/// <summary>
/// The path docs/development.md and README.md give a newcomer, as separate processes and with no extra flags:
/// `openkbs sandbox --state-dir DIR`, then `source DIR/aws.env; openkbs run --kubeconfig DIR/kubeconfig`, then
/// `kubectl apply -f docs/examples/`: the example Project becomes Ready, as it would against AWS, after the example's
/// AuditRun passed (the example Project sets spec.audit.required).
/// </summary>
public sealed class DocumentedPathTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("openkbs-documented-path-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Sandbox_then_openkbs_run_with_aws_env_then_kubectl_apply_brings_the_example_project_to_Ready()
    {
        var repository = SandboxFixture.RepositoryRoot();
        var kubeconfig = Path.Combine(_state, "kubeconfig");
        var sandbox = OperatorProcess.StartVerb(["sandbox", "--state-dir", _state], new Dictionary<string, string>(), repository);
        OperatorProcess? run = null;
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!File.Exists(Path.Combine(_state, "ready")))
            {
                Assert.False(sandbox.HasExited, $"openkbs sandbox exited before it was ready:\n{sandbox.Output}");
                Assert.True(DateTime.UtcNow < deadline, $"openkbs sandbox was not ready within 3 minutes:\n{sandbox.Output}");
                await Task.Delay(250);
            }

            // No metrics/probe ports (other runs share this machine) and text logs; everything else is `openkbs run`'s defaults.
            var quiet = new Dictionary<string, string>
            {
                ["OPENKBS_METRICS_BIND_ADDRESS"] = "0", ["OPENKBS_HEALTH_PROBE_BIND_ADDRESS"] = "0", ["OPENKBS_LOG_FORMAT"] = "text",
            };
            run = OperatorProcess.StartCommand(
                "bash", ["-c", "source \"$0\" && exec dotnet \"$1\" run --kubeconfig \"$2\"", Path.Combine(_state, "aws.env"), OperatorProcess.OpenKbsDll(), kubeconfig],
                quiet, repository);

            var apply = await Kubectl.RunAsync(kubeconfig, null, "apply", "-f", Path.Combine(repository, "docs", "examples"));
            Assert.True(apply.ExitCode == 0, apply.Error);
            // Like `kubectl wait --for=condition=Ready`, but a Terminal* reason ends the wait: waiting would not help.
            var ready = string.Empty;
            for (var until = DateTime.UtcNow.AddMinutes(4); DateTime.UtcNow < until && !run.HasExited; await Task.Delay(1000))
            {
                ready = (await Kubectl.RunAsync(kubeconfig, null, "get", "project/shop", "-n", "acme", "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason}")).Output;
                if (ready.StartsWith("True", StringComparison.Ordinal) || ready.Contains(" Terminal", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var described = await Kubectl.RunAsync(kubeconfig, null, "get", "clientaccount/acme", "project/shop", "-n", "acme", "-o",
                "jsonpath={range .items[*]}{.kind}/{.metadata.name}:{range .status.conditions[*]} {.type}={.status} {.reason} {.message};{end}{\"\\n\"}{end}");
            Assert.True(ready.StartsWith("True", StringComparison.Ordinal), $"the example Project is not Ready ({ready}):\n{described.Output}\n--- openkbs run:\n{run.Output}\n--- openkbs sandbox:\n{sandbox.Output}");

            // The example is under the audit gate: the example's AuditRun passed, and the Project deployed because of it.
            var audit = (await Kubectl.RunAsync(kubeconfig, null, "get", "auditrun/shop-1-0-0", "-n", "acme", "-o", "jsonpath={.status.phase}")).Output;
            var audited = (await Kubectl.RunAsync(kubeconfig, null, "get", "project/shop", "-n", "acme", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Audited\")].status} {.status.conditions[?(@.type==\"Audited\")].reason} {.status.conditions[?(@.type==\"Audited\")].message}")).Output;
            Assert.Equal("Passed", audit);
            Assert.StartsWith("True AuditPassed AuditRun shop-1-0-0 passed for version 1.0.0", audited, StringComparison.Ordinal);
        }
        finally
        {
            if (run is not null)
            {
                await run.StopAsync(TimeSpan.FromSeconds(30));
                await run.DisposeAsync();
            }

            await sandbox.StopAsync(TimeSpan.FromSeconds(60));
            await sandbox.DisposeAsync();
        }
    }
}
