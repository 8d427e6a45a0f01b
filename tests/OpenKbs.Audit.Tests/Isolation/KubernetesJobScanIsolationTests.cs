using System.Text.Json.Nodes;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Isolation;

namespace OpenKbs.Audit.Tests.Isolation;

public sealed class KubernetesJobScanIsolationTests : IDisposable
{
    private readonly string _shared = Directory.CreateTempSubdirectory("openkbs-shared-").FullName;
    private readonly string _inputs = Directory.CreateTempSubdirectory("openkbs-inputs-").FullName;

    private static readonly IsolatedScanRequest Request = new()
    {
        Name = "Shop_1.4.2",
        Artifact = "shop-1.4.2.zip",
        Subject = "team-a/shop@1.4.2",
        Source = "s3://openkbs-artifacts/team-a/shop-1.4.2.zip",
        ExpectedSha256 = new string('b', 64),
        Checks = ["code", "secrets", "dependencies"],
        FailOn = Severity.Critical,
        AdvisoriesDirectory = "/var/osv",
        TimeLimit = TimeSpan.FromMinutes(5),
        MemoryLimitBytes = 768L * 1024 * 1024,
    };

    private KubernetesScanOptions Options => new()
    {
        Namespace = "openkbs-system",
        Image = "ghcr.io/openkbs/operator:1.2.3",
        ClaimName = "openkbs-scans",
        SharedRoot = _shared,
    };

    public void Dispose()
    {
        Directory.Delete(_shared, recursive: true);
        Directory.Delete(_inputs, recursive: true);
    }

    private KubernetesScanManifests Build(IsolatedScanRequest? request = null) =>
        new KubernetesJobScanIsolation(Options, new RecordingJobs(_shared, _ => { }), TimeProvider.System).Build(request ?? Request);

    [Fact]
    public void The_pod_is_locked_down()
    {
        var job = Build().Job;
        var pod = job["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var security = container["securityContext"]!;

        Assert.Equal(KubernetesJobScanIsolation.JobName("Shop_1.4.2"), job["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("openkbs-system", job["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("Shop_1.4.2", job["metadata"]!["annotations"]![KubernetesJobScanIsolation.RunAnnotation]!.GetValue<string>());
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
        Assert.Equal("FallbackToLogsOnError", container["terminationMessagePolicy"]!.GetValue<string>());
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
    public void The_pod_sees_only_its_run_folders_of_the_claim_inputs_read_only()
    {
        var (_, advisories) = Inputs();
        var pod = Build(Request with { SuppressionsJson = "{}", InfrastructureJson = "{}", AdvisoriesDirectory = advisories }).Job["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var name = KubernetesJobScanIsolation.JobName(Request.Name);

        Assert.Equal(["audit", "scan", "/artifact/artifact.zip", "--sha256", new string('b', 64), "--checks", "code,secrets,dependencies", "--fail-on", "critical", "--advisories", "/advisories"], args.Take(11));
        Assert.Equal(["--suppressions", "/artifact/suppressions.json", "--infrastructure", "/artifact/infrastructure.json"], args.SkipWhile(a => a != "--suppressions").Take(4));
        Assert.Contains("/reports/audit.sarif", args);
        Assert.Equal(["--subject", "team-a/shop@1.4.2", "--source", "s3://openkbs-artifacts/team-a/shop-1.4.2.zip"], args.SkipWhile(a => a != "--subject").Take(4));
        Assert.Equal("300", args[^1]);
        var mounts = container["volumeMounts"]!.AsArray().ToDictionary(m => m!["mountPath"]!.GetValue<string>(), m => m!);
        Assert.Equal((name + "/input", true), (mounts["/artifact"]["subPath"]!.GetValue<string>(), mounts["/artifact"]["readOnly"]!.GetValue<bool>()));
        // The advisories: the one shared folder of their content on the claim, read-only (not a copy in the run's folder).
        Assert.Equal((KubernetesJobScanIsolation.AdvisoriesFolder(advisories), true), (mounts["/advisories"]["subPath"]!.GetValue<string>(), mounts["/advisories"]["readOnly"]!.GetValue<bool>()));
        Assert.Matches("^advisories-[0-9a-f]{64}$", mounts["/advisories"]["subPath"]!.GetValue<string>());
        Assert.Equal(name + "/reports", mounts["/reports"]["subPath"]!.GetValue<string>());
        Assert.Null(mounts["/reports"]["readOnly"]);
        Assert.Equal("tmp", mounts["/tmp"]["name"]!.GetValue<string>());
        Assert.All(
            mounts.Where(m => m.Key != "/advisories" && m.Value["name"]!.GetValue<string>() == "run"),
            m => Assert.StartsWith(name + "/", m.Value["subPath"]!.GetValue<string>(), StringComparison.Ordinal));
        var volumes = pod["volumes"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);
        Assert.Equal("openkbs-scans", volumes["run"]["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        Assert.NotNull(volumes["tmp"]["emptyDir"]);
        Assert.DoesNotContain("/advisories", Build(Request with { AdvisoriesDirectory = null }).Job.ToJsonString(), StringComparison.Ordinal);
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
        Assert.Equal(KubernetesJobScanIsolation.JobName(Request.Name), selector);
    }

    [Fact]
    public async Task A_scan_writes_the_run_folder_submits_reads_the_reports_back_and_removes_folder_and_job()
    {
        var (artifact, advisories) = Inputs();
        string[]? inputs = null;
        var jobs = new RecordingJobs(_shared, folder =>
        {
            inputs = [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
            foreach (var report in new[] { "audit.sarif", "audit.md", "audit.json" })
            {
                File.WriteAllText(Path.Combine(folder, "reports", report), report);
            }
        });
        var isolation = new KubernetesJobScanIsolation(Options, jobs, TimeProvider.System);

        var result = await isolation.ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = advisories, SuppressionsJson = "{\"suppressions\":[]}" }, CancellationToken.None);

        Assert.Equal(OpenKbs.Audit.Gate.Verdict.Passed, result.Verdict);
        Assert.Equal("audit.md"u8.ToArray(), result.Markdown);
        Assert.Contains("no network (deny-all NetworkPolicy)", result.Isolation, StringComparison.Ordinal);
        Assert.Equal(["input/artifact.zip", "input/suppressions.json"], inputs!);
        Assert.Equal(["submit", "wait", "delete"], jobs.Calls);
        // Left on the claim: only the shared advisories, for the next run.
        var shared = Assert.Single(Directory.GetFileSystemEntries(_shared));
        Assert.Equal(KubernetesJobScanIsolation.AdvisoriesFolder(advisories), Path.GetFileName(shared));
        Assert.Equal(["npm/GHSA-1.json"], Directory.GetFiles(shared, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(shared, f)));
    }

    [Fact]
    public async Task A_job_found_after_a_restart_is_waited_for_with_its_folder_and_one_whose_folder_is_gone_starts_again()
    {
        var (artifact, _) = Inputs();
        var name = KubernetesJobScanIsolation.JobName(Request.Name);
        var folder = Path.Combine(_shared, name);
        Directory.CreateDirectory(Path.Combine(folder, "input"));
        Directory.CreateDirectory(Path.Combine(folder, "reports"));
        await File.WriteAllTextAsync(Path.Combine(folder, "input", "artifact.zip"), "what the last operator wrote");
        await File.WriteAllTextAsync(Path.Combine(folder, "reports", "audit.md"), "the finished Job's report");
        var jobs = new RecordingJobs(_shared, _ => { }) { Existing = new ScanJobState() };

        var result = await new KubernetesJobScanIsolation(Options, jobs, TimeProvider.System).ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = null }, CancellationToken.None);

        Assert.Equal("the finished Job's report"u8.ToArray(), result.Markdown); // the folder was not prepared anew
        Assert.Equal(["submit", "wait", "delete"], jobs.Calls); // submit completes a half-done submission; the Job stays the same
        Assert.False(Directory.Exists(folder));

        jobs = new RecordingJobs(_shared, _ => { }) { Existing = new ScanJobState() };
        await new KubernetesJobScanIsolation(Options, jobs, TimeProvider.System).ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = null }, CancellationToken.None);
        Assert.Equal(["delete", "submit", "wait", "delete"], jobs.Calls);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_job_and_its_folder_for_the_next_pass()
    {
        var (artifact, _) = Inputs();
        var jobs = new RecordingJobs(_shared, _ => throw new OperationCanceledException());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new KubernetesJobScanIsolation(Options, jobs, TimeProvider.System).ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = null }, CancellationToken.None));

        Assert.Equal(["submit", "wait"], jobs.Calls);
        Assert.True(File.Exists(Path.Combine(_shared, KubernetesJobScanIsolation.JobName(Request.Name), "input", "artifact.zip")));
    }

    [Fact]
    public async Task Advisories_are_one_shared_folder_per_content_written_once_reused_and_swept_when_no_run_uses_them()
    {
        var (artifact, advisories) = Inputs();
        await File.WriteAllTextAsync(Path.Combine(advisories, "README.md"), "not an advisory");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var jobs = new RecordingJobs(_shared, folder => Assert.False(Directory.Exists(Path.Combine(folder, "advisories"))));
        var isolation = new KubernetesJobScanIsolation(Options, jobs, time);
        var first = KubernetesJobScanIsolation.AdvisoriesFolder(advisories)!;
        var copy = Path.Combine(_shared, first);

        await isolation.ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = advisories }, CancellationToken.None);
        Assert.Equal(["npm/GHSA-1.json"], Directory.GetFiles(copy, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(copy, f))); // the OSV files only
        await File.WriteAllTextAsync(Path.Combine(copy, "mark"), "a rewrite of the folder would drop this");

        // Another run with the same advisories mounts the same folder, which is not written again.
        await isolation.ScanAsync(Request with { Name = "Shop_1.4.3", Artifact = artifact, AdvisoriesDirectory = advisories }, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(copy, "mark")));
        Assert.Equal([first, first], jobs.Submitted.Select(AdvisoriesMount));

        // Changed advisories: another folder; the first stays (a Job of it may still run).
        await File.WriteAllTextAsync(Path.Combine(advisories, "npm", "GHSA-2.json"), "{}");
        var second = KubernetesJobScanIsolation.AdvisoriesFolder(advisories)!;
        Assert.NotEqual(first, second);
        await isolation.ScanAsync(Request with { Name = "Shop_1.4.4", Artifact = artifact, AdvisoriesDirectory = advisories }, CancellationToken.None);
        Assert.Equal(second, AdvisoriesMount(jobs.Submitted[^1]));
        Assert.True(Directory.Exists(copy));

        // Two days on, with a copy a crash left half-written: what no run used for a day goes; the folder in use stays.
        Directory.CreateDirectory(Path.Combine(_shared, $".{second}.part-0123"));
        time.Advance(TimeSpan.FromDays(2));
        await isolation.ScanAsync(Request with { Name = "Shop_1.4.5", Artifact = artifact, AdvisoriesDirectory = advisories }, CancellationToken.None);
        Assert.Equal([second], Directory.GetFileSystemEntries(_shared).Select(Path.GetFileName));
        Assert.Equal(time.GetUtcNow().UtcDateTime, Directory.GetLastWriteTimeUtc(Path.Combine(_shared, second))); // touched by its use
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    public async Task Advisories_missing_in_the_operator_are_not_mounted_and_the_scan_is_told_a_path_that_fails_closed(string state)
    {
        var (artifact, _) = Inputs();
        var advisories = Path.Combine(_inputs, "osv-" + state);
        if (state == "empty")
        {
            Directory.CreateDirectory(advisories);
        }

        var jobs = new RecordingJobs(_shared, _ => { });
        await new KubernetesJobScanIsolation(Options, jobs, TimeProvider.System).ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = advisories }, CancellationToken.None);

        // --advisories /advisories with nothing there: the dependencies check says the directory does not exist and is incomplete,
        // which fails the run closed (DependenciesAnalyzerTests); no empty folder is published that could read as "no advisories".
        var job = Assert.Single(jobs.Submitted).Job;
        Assert.Null(AdvisoriesMount(jobs.Submitted[0]));
        Assert.Equal(["--advisories", "/advisories"], job["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).SkipWhile(a => a != "--advisories").Take(2));
        Assert.Empty(Directory.GetFileSystemEntries(_shared));
    }

    private static string? AdvisoriesMount(KubernetesScanManifests manifests) =>
        manifests.Job["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray()
            .FirstOrDefault(m => m!["mountPath"]!.GetValue<string>() == "/advisories")?["subPath"]!.GetValue<string>();

    [Fact]
    public async Task Without_the_shared_volume_mounted_nothing_is_submitted_and_a_job_found_is_kept()
    {
        var (artifact, _) = Inputs();
        var missing = Path.Combine(_shared, "not-mounted");
        var jobs = new RecordingJobs(_shared, _ => { }) { Existing = new ScanJobState() };
        var isolation = new KubernetesJobScanIsolation(Options with { SharedRoot = missing }, jobs, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ScanVolumeUnavailableException>(() => isolation.ScanAsync(Request with { Artifact = artifact }, CancellationToken.None));

        Assert.Equal($"the shared scan volume is not mounted: {missing} (AuditRun:ScanJobMountPath, the claim openkbs-scans in openkbs-system) does not exist in the operator pod", error.Message);
        Assert.Equal(missing, error.MountPath);
        Assert.Empty(jobs.Calls); // a Job of this run found (after a restart) is not deleted for want of its folder: the volume is not there to tell

        await File.WriteAllTextAsync(missing, "a file where the mount should be");
        error = await Assert.ThrowsAsync<ScanVolumeUnavailableException>(() => isolation.ScanAsync(Request with { Artifact = artifact }, CancellationToken.None));
        Assert.Contains("is a file, not a directory", error.Message, StringComparison.Ordinal);
        Assert.Empty(jobs.Calls);

        // Mounted but not writable (read-only, full): procfs, where not even root may create a file (tests may run as root).
        var readOnly = new KubernetesJobScanIsolation(Options with { SharedRoot = "/proc/self" }, jobs, TimeProvider.System);
        error = await Assert.ThrowsAsync<ScanVolumeUnavailableException>(() => readOnly.ScanAsync(Request with { Artifact = artifact }, CancellationToken.None));
        Assert.StartsWith("the shared scan volume at /proc/self (AuditRun:ScanJobMountPath, the claim openkbs-scans in openkbs-system) is not writable by the operator: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(jobs.Calls);

        // Mounted late: the same isolation submits.
        File.Delete(missing);
        Directory.CreateDirectory(missing);
        await isolation.ScanAsync(Request with { Artifact = artifact, AdvisoriesDirectory = null }, CancellationToken.None);
        Assert.Equal(["delete", "submit", "wait", "delete"], jobs.Calls);
    }

    [Theory]
    [InlineData("a", "audit-scan-a-")]
    [InlineData("Shop.V2", "audit-scan-shop-v2-")]
    [InlineData("team-a-a-very-long-audit-run-name-that-goes-on-and-on-beyond-the-limit-0b4c", "audit-scan-team-a-a-very-long-audit-run-name-that-goes-")]
    public void Job_names_are_dns_labels_unique_per_run(string run, string prefix)
    {
        var job = KubernetesJobScanIsolation.JobName(run);

        Assert.StartsWith(prefix, job, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", job);
        Assert.True(job.Length <= 63, job);
        Assert.NotEqual(job, KubernetesJobScanIsolation.JobName(run + "x"));
    }

    private (string Artifact, string Advisories) Inputs()
    {
        var work = _inputs;
        var artifact = Path.Combine(work, "a.zip");
        File.WriteAllText(artifact, "zip");
        Directory.CreateDirectory(Path.Combine(work, "osv", "npm"));
        File.WriteAllText(Path.Combine(work, "osv", "npm", "GHSA-1.json"), "{}");
        return (artifact, Path.Combine(work, "osv"));
    }

    /// <summary>The cluster side, recorded (the Audit room has no Kubernetes; AuditRunOperatorTests drives the real one): <paramref name="run"/> plays the pod on the run's folder when the wait starts.</summary>
    private sealed class RecordingJobs(string shared, Action<string> run) : IScanJobClient
    {
        public List<string> Calls { get; } = [];

        public List<KubernetesScanManifests> Submitted { get; } = [];

        public ScanJobState? Existing { get; init; }

        public Task<ScanJobState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken) => Task.FromResult(Existing);

        public Task SubmitAsync(KubernetesScanManifests manifests, CancellationToken cancellationToken)
        {
            Calls.Add("submit");
            Submitted.Add(manifests);
            return Task.CompletedTask;
        }

        public Task<ScanJobState> WaitAsync(string @namespace, string name, TimeSpan limit, CancellationToken cancellationToken)
        {
            Calls.Add("wait");
            run(Path.Combine(shared, name));
            return Task.FromResult(new ScanJobState { Finished = true, Succeeded = true });
        }

        public Task DeleteAsync(string @namespace, string name, CancellationToken cancellationToken)
        {
            Calls.Add("delete");
            return Task.CompletedTask;
        }
    }
}
