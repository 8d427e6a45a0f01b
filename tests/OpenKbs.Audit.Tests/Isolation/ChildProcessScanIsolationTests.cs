using System.Diagnostics;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Isolation;
using OpenKbs.Audit.Tests.Intake;

namespace OpenKbs.Audit.Tests.Isolation;

/// <summary>
/// The child-process path with a stand-in program (a shell that prints what it can see), so the environment, the
/// network namespace and the time limit are checked on a real process; the real openkbs child is run by the AuditRun
/// controller in AuditRunOperatorTests (An_isolated_scan_...).
/// </summary>
public sealed class ChildProcessScanIsolationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openkbs-isolation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ArtifactFile()
    {
        var path = Path.Combine(_dir, "artifact.zip");
        File.WriteAllBytes(path, Archives.Zip(("index.js", "exports.handler = async () => 1;")));
        return path;
    }

    private static ChildProcessScanIsolation Shell(string script, bool noNetwork = true) =>
        new(new ChildProcessOptions { FileName = "/bin/sh", PrefixArguments = ["-c", script, "sh"], NoNetwork = noNetwork, Grace = TimeSpan.FromMilliseconds(500) });

    [Fact]
    public void The_child_environment_is_built_from_nothing()
    {
        var parent = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "not-for-the-child",
            ["AWS_SESSION_TOKEN"] = "not-for-the-child",
            ["KUBECONFIG"] = "/home/op/.kube/config",
            ["HTTPS_PROXY"] = "http://proxy.internal:3128",
            ["OPENKBS_AuditStore__ConnectionString"] = "Host=db;Password=secret",
        };
        var isolation = new ChildProcessScanIsolation(new ChildProcessOptions { FileName = "dotnet", PrefixArguments = ["/opt/openkbs/openkbs.dll"], ParentEnvironment = parent });
        var request = new IsolatedScanRequest { Name = "run-1", Artifact = "/x/a.zip", ExpectedSha256 = new string('a', 64), Checks = ["secrets"], MemoryLimitBytes = 512L * 1024 * 1024 };

        var start = isolation.BuildStartInfo(request, "/tmp/w", "/tmp/w/artifact.zip");

        Assert.Equal("unshare", start.FileName);
        Assert.Equal(["--map-root-user", "--net", "--", "dotnet", "/opt/openkbs/openkbs.dll", "audit", "scan", "/tmp/w/artifact.zip", "--sha256"], start.ArgumentList.Take(9));
        Assert.Contains("--checks", start.ArgumentList);
        Assert.Equal("20000000", start.Environment["DOTNET_GCHeapHardLimit"]);
        Assert.Equal("/tmp/w/home", start.Environment["HOME"]);
        Assert.Equal("/usr/bin:/bin", start.Environment["PATH"]);
        Assert.DoesNotContain(start.Environment.Keys, k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.Contains("PROXY", StringComparison.OrdinalIgnoreCase) || k == "KUBECONFIG" || k.StartsWith("OPENKBS_", StringComparison.Ordinal));
        Assert.DoesNotContain(start.Environment.Values, v => v?.Contains("not-for-the-child", StringComparison.Ordinal) == true);
        Assert.All(start.Environment.Keys, k => Assert.Contains(k, new[] { "PATH", "DOTNET_ROOT", "LANG", "HOME", "TMPDIR", "DOTNET_GCHeapHardLimit", "DOTNET_gcServer", "DOTNET_EnableDiagnostics", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO" }));
    }

    [Fact]
    public async Task A_real_child_sees_no_credentials_no_proxy_and_no_network()
    {
        // The operator's own credentials are in its environment (as in a pod with AWS_* and a kubeconfig); the child gets none.
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY_OPENKBS_TEST", "not-for-the-child");
        Environment.SetEnvironmentVariable("KUBECONFIG_OPENKBS_TEST", "/home/op/.kube/config");
        Environment.SetEnvironmentVariable("HTTPS_PROXY_OPENKBS_TEST", "http://proxy.internal:3128");

        var result = await Shell("env; echo ---; cat /proc/net/dev; echo ---; ls; exit 1").ScanAsync(new IsolatedScanRequest { Name = "probe", Artifact = ArtifactFile() }, CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.DoesNotContain("AWS_", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("KUBECONFIG", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-the-child", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PROXY", result.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_GCHeapHardLimit=40000000", result.Output, StringComparison.Ordinal);
        var interfaces = result.Output.Split("---")[1].Split('\n').Skip(3).Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.Equal(["lo"], interfaces);
        Assert.Equal(["artifact.zip", "home", "reports"], result.Output.Split("---")[2].Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_time_limit_kills_the_child_and_its_folder_is_removed()
    {
        var clock = Stopwatch.StartNew();

        var result = await Shell("echo $PWD; sleep 60").ScanAsync(new IsolatedScanRequest { Name = "stuck", Artifact = ArtifactFile(), TimeLimit = TimeSpan.FromSeconds(1) }, CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Null(result.Verdict);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("killed after 2 s", result.Isolation, StringComparison.Ordinal);
        Assert.False(Directory.Exists(result.Output.Trim()), "the run folder must be deleted");
    }

    [Fact]
    public async Task The_child_is_told_the_real_artifact_name_and_source_not_its_private_copy()
    {
        var sha = new string('b', 64);

        var result = await Shell("printf '%s\\n' \"$@\"; exit 0", noNetwork: false).ScanAsync(
            new IsolatedScanRequest { Name = "named", Artifact = ArtifactFile(), ExpectedSha256 = sha, Subject = "team-a/shop@1.4.0", Source = "s3://openkbs-artifacts/team-a/shop-1.4.0.zip" },
            CancellationToken.None);

        var arguments = result.Output.Split('\n');
        Assert.Equal("artifact.zip", Path.GetFileName(arguments[2]));
        Assert.Equal("team-a/shop@1.4.0", arguments[Array.IndexOf(arguments, "--subject") + 1]);
        Assert.Equal("s3://openkbs-artifacts/team-a/shop-1.4.0.zip", arguments[Array.IndexOf(arguments, "--source") + 1]);
        Assert.Equal(sha, arguments[Array.IndexOf(arguments, "--sha256") + 1]);
    }

    [Fact]
    public async Task Reports_written_by_the_child_are_returned()
    {
        var result = await Shell("echo '{}' > reports/audit.json; echo sarif > reports/audit.sarif; exit 0", noNetwork: false)
            .ScanAsync(new IsolatedScanRequest { Name = "reports", Artifact = ArtifactFile() }, CancellationToken.None);

        Assert.Equal(Verdict.Passed, result.Verdict);
        Assert.Equal("{}\n"u8.ToArray(), result.Json);
        Assert.NotNull(result.Sarif);
        Assert.Null(result.Markdown);
    }
}
