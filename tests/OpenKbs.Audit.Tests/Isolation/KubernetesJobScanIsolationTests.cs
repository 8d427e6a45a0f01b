using System.Text.Json.Nodes;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Isolation;

namespace OpenKbs.Audit.Tests.Isolation;

public sealed class KubernetesJobScanIsolationTests
{
    private static readonly KubernetesScanOptions Options = new()
    {
        Namespace = "team-a",
        Image = "ghcr.io/openkbs/operator:1.2.3",
        ArtifactVolume = new JsonObject { ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "shop-artifacts", ["readOnly"] = true } },
        AdvisoriesVolume = new JsonObject { ["configMap"] = new JsonObject { ["name"] = "osv-npm" } },
    };

    private static readonly IsolatedScanRequest Request = new()
    {
        Name = "Shop_1.4.2",
        Artifact = "shop-1.4.2.zip",
        Subject = "team-a/shop@1.4.2",
        Source = "s3://openkbs-artifacts/team-a/shop-1.4.2.zip",
        ExpectedSha256 = new string('b', 64),
        Checks = ["code", "secrets", "dependencies"],
        FailOn = Severity.Critical,
        TimeLimit = TimeSpan.FromMinutes(5),
        MemoryLimitBytes = 768L * 1024 * 1024,
    };

    private static KubernetesScanManifests Build() =>
        new KubernetesJobScanIsolation(Options, (_, _) => throw new InvalidOperationException("not submitted in this test")).Build(Request);

    [Fact]
    public void The_pod_is_locked_down()
    {
        var job = Build().Job;
        var pod = job["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var security = container["securityContext"]!;

        Assert.Equal("audit-scan-shop-1-4-2", job["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("team-a", job["metadata"]!["namespace"]!.GetValue<string>());
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.False(pod["enableServiceLinks"]!.GetValue<bool>());
        Assert.False(pod["hostNetwork"]!.GetValue<bool>());
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(65532, pod["securityContext"]!["runAsUser"]!.GetValue<int>());
        Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.True(security["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.False(security["privileged"]!.GetValue<bool>());
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.Equal("Never", pod["restartPolicy"]!.GetValue<string>());
        Assert.Equal(0, job["spec"]!["backoffLimit"]!.GetValue<int>());
        Assert.Equal(360, job["spec"]!["activeDeadlineSeconds"]!.GetValue<long>());
        Assert.Null(container["env"]!.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>().StartsWith("AWS_", StringComparison.Ordinal)));
        Assert.Null(container["envFrom"]);
    }

    [Fact]
    public void Resources_are_limited_and_the_heap_fits_inside_the_memory_limit()
    {
        var container = Build().Job["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var limits = container["resources"]!["limits"]!;

        Assert.Equal("1024Mi", limits["memory"]!.GetValue<string>());
        Assert.Equal("1", limits["cpu"]!.GetValue<string>());
        Assert.Equal("512Mi", limits["ephemeral-storage"]!.GetValue<string>());
        Assert.Equal("30000000", container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "DOTNET_GCHeapHardLimit")!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_scan_reads_the_artifact_read_only_and_writes_reports_to_their_volume()
    {
        var pod = Build().Job["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

        Assert.Equal(["audit", "scan", "/artifact/shop-1.4.2.zip", "--sha256", new string('b', 64), "--checks", "code,secrets,dependencies", "--fail-on", "critical", "--advisories", "/advisories"], args.Take(11));
        Assert.Contains("/reports/audit.sarif", args);
        Assert.Equal(["--subject", "team-a/shop@1.4.2", "--source", "s3://openkbs-artifacts/team-a/shop-1.4.2.zip"], args.SkipWhile(a => a != "--subject").Take(4));
        Assert.Equal("300", args[^1]);
        var mounts = container["volumeMounts"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!);
        Assert.True(mounts["artifact"]["readOnly"]!.GetValue<bool>());
        Assert.True(mounts["advisories"]["readOnly"]!.GetValue<bool>());
        Assert.Equal("/tmp", mounts["tmp"]["mountPath"]!.GetValue<string>());
        var volumes = pod["volumes"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);
        Assert.Equal("shop-artifacts", volumes["artifact"]["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        Assert.NotNull(volumes["reports"]["emptyDir"]);
        Assert.Throws<ArgumentException>(() => new KubernetesJobScanIsolation(Options, (_, _) => throw new InvalidOperationException()).Build(Request with { Artifact = "../secrets/token" }));
    }

    [Fact]
    public void The_network_policy_denies_all_traffic_of_exactly_that_pod()
    {
        var (job, policy) = Build();

        Assert.Equal("NetworkPolicy", policy["kind"]!.GetValue<string>());
        Assert.Equal(["Ingress", "Egress"], policy["spec"]!["policyTypes"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Empty(policy["spec"]!["egress"]!.AsArray());
        Assert.Empty(policy["spec"]!["ingress"]!.AsArray());
        var selector = policy["spec"]!["podSelector"]!["matchLabels"]![KubernetesJobScanIsolation.ScanLabel]!.GetValue<string>();
        Assert.Equal(selector, job["spec"]!["template"]!["metadata"]!["labels"]![KubernetesJobScanIsolation.ScanLabel]!.GetValue<string>());
        Assert.Equal("audit-scan-shop-1-4-2", selector);
    }

    [Fact]
    public async Task Scanning_submits_the_manifests()
    {
        KubernetesScanManifests? submitted = null;
        var isolation = new KubernetesJobScanIsolation(Options, (m, _) =>
        {
            submitted = m;
            return Task.FromResult(new IsolatedScanResult { ExitCode = 0 });
        });

        var result = await isolation.ScanAsync(Request, CancellationToken.None);

        Assert.Equal(OpenKbs.Audit.Gate.Verdict.Passed, result.Verdict);
        Assert.Equal("Job", submitted!.Job["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a", "audit-scan-a")]
    [InlineData("Shop.V2", "audit-scan-shop-v2")]
    [InlineData("a-very-long-audit-run-name-that-goes-on-and-on-beyond-the-limit", "audit-scan-a-very-long-audit-run-name-that-goes-on-and-on-beyon")]
    public void Job_names_are_dns_labels(string run, string job)
    {
        Assert.Equal(job, KubernetesJobScanIsolation.JobName(run));
        Assert.True(job.Length <= 63);
    }
}
