using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using k8s;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Isolation;
using OpenKbs.Controllers.AuditRuns.Steps;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.Aws.Bootstrap;
using OpenKbs.Testing;

namespace OpenKbs.Controllers.Tests.AuditRuns;

/// <summary>
/// The Job path against the sandbox API server, which runs no pods: this test is the kubelet. When a scan Job is resumed it
/// checks the deny-all NetworkPolicy fences the pod, runs the real <c>openkbs audit scan</c> with exactly the Job's arguments,
/// its volume mounts resolved to the run's folders on the shared directory (the "claim") by subPath, then writes a Pod with
/// the container's end and the Job's status, as the kubelet and the Job controller would; or it ends the Job as the cluster
/// does when the deadline passes or the container is OOMKilled.
/// </summary>
public sealed partial class AuditRunOperatorTests
{
    private enum KubeletPlay
    {
        Run,
        Hold,
        DeadlineExceeded,
        OomKilled,
    }

    [Fact]
    public async Task A_scan_job_is_submitted_fenced_waited_for_read_back_cleaned_up_and_survives_an_operator_restart()
    {
        var ns = await sandbox.CreateNamespaceAsync("audit-job");
        var system = await sandbox.CreateNamespaceAsync("openkbs-system");
        var shared = Directory.CreateDirectory(Path.Combine(sandbox.WorkDirectory, $"scans-{Guid.NewGuid():N}")).FullName;
        var openkbs = OpenKbsDll();
        var settings = JobSettings(system, shared);
        var planted = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200 });\n"), ("deploy.pem", PrivateKey));
        var key = $"examples/shop/job-{ns}.zip";
        var plantedSha = await UploadAsync(key, planted);
        var plays = new ConcurrentDictionary<string, KubeletPlay>(StringComparer.Ordinal); // by the AuditRun name in the Job's annotation
        var seen = new ConcurrentDictionary<string, (string Run, string Name)>(StringComparer.Ordinal); // every Job seen: uid -> its run and name
        using var stop = new CancellationTokenSource();
        var kubelet = Task.Run(() => KubeletAsync(system, shared, openkbs, plays, seen, stop.Token));
        try
        {
            await using (var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], settings))
            {
                await KubectlAsync(Tenant(ns), "apply", "-f", "-");

                // The project's artifact with every check (the live configuration and the suppressions go in through the run's folder).
                await KubectlAsync(Run(ns, "job-pass", "shop", null), "apply", "-f", "-");
                var passed = await WaitRunAsync(ns, "job-pass", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(3));
                output.WriteLine(KubernetesJson.Serialize(passed.Status));
                Assert.Equal(AuditPhase.Passed, passed.Status!.Phase);
                Assert.Matches("critical-code\\.dependencies\\.infrastructure\\.secrets-live\\.", passed.Status.ReportRef!.S3!.Key);
                await AssertCleanedUpAsync(system, shared);

                // A planted key: the Job's container exits 1 (the Job Failed), the reports say why: Failed, as the child process says.
                await KubectlAsync(Run(ns, "job-planted", "shop", (key, plantedSha), "4.0.0") + "  checks: [code, secrets]\n", "apply", "-f", "-");
                var failed = await WaitRunAsync(ns, "job-planted", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(2));
                Assert.Equal(AuditPhase.Failed, failed.Status!.Phase);
                Assert.Contains("secrets/private-key at deploy.pem", Runtime.Conditions.Find(failed.Status.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
                var project = (await GetAsync<Project>(ns, Project.KubePlural, "shop"))!;
                var member = await SessionAsync(project.Status!.AccountId!);
                var markdown = Encoding.UTF8.GetString(await DownloadAsync(member, project.Status.Storage!.BucketName!, failed.Status.ReportRef!.S3!.Key));
                Assert.Contains($"# Security audit report: {ns}/shop@4.0.0", markdown, StringComparison.Ordinal);
                Assert.DoesNotContain("MIIE", markdown, StringComparison.Ordinal);
                await AssertCleanedUpAsync(system, shared);

                // A zip-slip: the container exits 2; its log tail (the termination message) carries the intake's typed refusal.
                var slipKey = $"examples/shop/job-slip-{ns}.zip";
                var slipSha = await UploadAsync(slipKey, Zip(("../../etc/cron.d/x", "* * * * * root id\n")));
                await KubectlAsync(Run(ns, "job-slip", "shop", (slipKey, slipSha)) + "  checks: [code]\n", "apply", "-f", "-");
                await AssertErrorAsync(ns, "job-slip", ScanStep.TerminalArtifactUnreadable, "PathEscape");

                // The cluster ends the Job at activeDeadlineSeconds, or the kernel OOM-kills the container: the child process's messages.
                plays["job-late"] = KubeletPlay.DeadlineExceeded;
                await KubectlAsync(Run(ns, "job-late", "shop", (key, plantedSha), "4.0.1") + "  checks: [secrets]\n", "apply", "-f", "-");
                await AssertErrorAsync(ns, "job-late", ScanStep.TerminalAuditTimeout, "did not finish within 600 s and was killed (Kubernetes Job");
                plays["job-oom"] = KubeletPlay.OomKilled;
                await KubectlAsync(Run(ns, "job-oom", "shop", (key, plantedSha), "4.0.2") + "  checks: [secrets]\n", "apply", "-f", "-");
                await AssertErrorAsync(ns, "job-oom", ScanStep.TerminalAuditScanFailed, "ran out of its memory limit (1024 MiB) and ended without a verdict (Kubernetes Job");
                await AssertCleanedUpAsync(system, shared);

                // The operator stops while its Job runs (held here): the Job and the run's folder stay for the next operator.
                plays["job-restart"] = KubeletPlay.Hold;
                await KubectlAsync(Run(ns, "job-restart", "shop", (key, plantedSha), "4.0.3") + "  checks: [code]\n", "apply", "-f", "-");
                await WaitUntilAsync(() => seen.Values.Any(v => v.Run.Contains("-job-restart-", StringComparison.Ordinal)), "the Job of job-restart to be submitted");
            }

            var held = seen.Single(j => j.Value.Run.Contains("-job-restart-", StringComparison.Ordinal)).Value;
            Assert.NotNull(await sandbox.Client.BatchV1.ReadNamespacedJobAsync(held.Name, system));
            Assert.True(File.Exists(Path.Combine(shared, held.Name, "input", KubernetesJobScanIsolation.ArtifactFile)));
            plays["job-restart"] = KubeletPlay.Run;
            await using (var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], settings))
            {
                var resumed = await WaitRunAsync(ns, "job-restart", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(2));
                Assert.Equal(AuditPhase.Passed, resumed.Status!.Phase);
                // The same Job: found and waited for, not submitted again.
                Assert.Equal(held, Assert.Single(seen.Values, v => v.Run.Contains("-job-restart-", StringComparison.Ordinal)));
                await AssertCleanedUpAsync(system, shared);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(kubelet, Task.Delay(TimeSpan.FromSeconds(10)));
        }

        Assert.True(kubelet.IsCompletedSuccessfully || kubelet.IsCanceled, kubelet.Exception?.ToString());
    }

    [Fact]
    public async Task A_scan_volume_not_mounted_yet_is_waited_for_with_backoff_and_the_run_passes_once_it_appears()
    {
        var ns = await sandbox.CreateNamespaceAsync("audit-vol");
        var system = await sandbox.CreateNamespaceAsync("openkbs-system");
        var shared = Path.Combine(sandbox.WorkDirectory, $"scans-{Guid.NewGuid():N}"); // not there: the claim is not mounted yet
        var plays = new ConcurrentDictionary<string, KubeletPlay>(StringComparer.Ordinal);
        var seen = new ConcurrentDictionary<string, (string Run, string Name)>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var kubelet = Task.Run(() => KubeletAsync(system, shared, OpenKbsDll(), plays, seen, stop.Token));
        try
        {
            await using var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], JobSettings(system, shared));
            await KubectlAsync(Tenant(ns), "apply", "-f", "-");
            await KubectlAsync(Run(ns, "vol-late", "shop", null) + "  checks: [code, dependencies]\n", "apply", "-f", "-");

            // Not terminal: Running, Ready False with what is missing and where, nothing submitted; it keeps looking (the wait grows).
            var waiting = await WaitRunAsync(ns, "vol-late", r => ReadyOf(r)?.Reason == ScanStep.WaitingForScanVolume, TimeSpan.FromMinutes(3));
            output.WriteLine(KubernetesJson.Serialize(waiting.Status));
            Assert.Equal(AuditPhase.Running, waiting.Status!.Phase);
            Assert.Null(waiting.Status.CompletedAt);
            var ready = ReadyOf(waiting)!;
            Assert.Equal(ConditionStatus.False, ready.Status);
            Assert.Contains($"the shared scan volume is not mounted: {shared} (AuditRun:ScanJobMountPath, the claim openkbs-scans in {system}) does not exist in the operator pod", ready.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was submitted, looking again in", ready.Message, StringComparison.Ordinal);
            var again = await WaitRunAsync(ns, "vol-late", r => ReadyOf(r)?.Reason == ScanStep.WaitingForScanVolume && ReadyOf(r)!.Message != ready.Message);
            Assert.Null(again.Status!.CompletedAt);
            Assert.Empty((await sandbox.Client.BatchV1.ListNamespacedJobAsync(system)).Items);
            var events = await sandbox.Client.CoreV1.ListNamespacedEventAsync(ns);
            Assert.Contains(events.Items, e => e.Reason == ScanStep.WaitingForScanVolume && e.Type == "Warning");

            // The volume appears (mounted late): the next look submits the Job and the run passes.
            Directory.CreateDirectory(shared);
            var passed = await WaitRunAsync(ns, "vol-late", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(3));
            output.WriteLine(KubernetesJson.Serialize(passed.Status));
            Assert.Equal(AuditPhase.Passed, passed.Status!.Phase);
            Assert.Single(seen.Values, v => v.Run.Contains("-vol-late-", StringComparison.Ordinal));
            await AssertCleanedUpAsync(system, shared);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(kubelet, Task.Delay(TimeSpan.FromSeconds(10)));
        }
    }

    private static V1Condition? ReadyOf(AuditRun? run) => Runtime.Conditions.Find(run?.Status?.Conditions, ConditionTypes.Ready);

    /// <summary>The operator with <c>AuditRun:Isolation: KubernetesJob</c>: Jobs in <paramref name="system"/>, the claim "mounted" at <paramref name="shared"/>.</summary>
    private static Dictionary<string, string?> JobSettings(string system, string shared) => new()
    {
        ["Project:ArtifactBucket"] = SandboxAws.ArtifactBucket,
        ["Project:WaitForAccount"] = "00:00:00.500",
        ["AuditRun:WaitForProject"] = "00:00:00.500",
        ["AuditRun:AdvisoriesDirectory"] = Advisories,
        ["AuditRun:Isolation"] = "KubernetesJob",
        ["AuditRun:ScanJobNamespace"] = system,
        ["AuditRun:ScanJobImage"] = "ghcr.io/openkbs/openkbs-operator:test",
        ["AuditRun:ScanJobClaimName"] = "openkbs-scans",
        ["AuditRun:ScanJobMountPath"] = shared,
        ["AuditRun:ScanJobPollInterval"] = "00:00:00.200",
    };

    /// <summary>
    /// The Jobs, their NetworkPolicies and the run folders are gone (the sandbox's garbage collector removes the Pods); on the claim
    /// only the one shared folder of the advisories stays, written once and mounted by every run.
    /// </summary>
    private async Task AssertCleanedUpAsync(string system, string shared)
    {
        await WaitUntilAsync(async () => (await sandbox.Client.BatchV1.ListNamespacedJobAsync(system)).Items.Count == 0
            && (await sandbox.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(system)).Items.Count == 0
            && (await sandbox.Client.CoreV1.ListNamespacedPodAsync(system)).Items.Count == 0, "the scan Jobs, policies and pods to be deleted");
        Assert.Equal([KubernetesJobScanIsolation.AdvisoriesFolder(Advisories)], Directory.GetFileSystemEntries(shared).Select(Path.GetFileName));
    }

    private static string Advisories => Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "advisories");

    /// <summary>Plays the kubelet and the Job controller for the Jobs of <paramref name="system"/> until cancelled.</summary>
    private async Task KubeletAsync(
        string system, string shared, string openkbs, ConcurrentDictionary<string, KubeletPlay> plays, ConcurrentDictionary<string, (string Run, string Name)> seen, CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var job in (await sandbox.Client.BatchV1.ListNamespacedJobAsync(system, cancellationToken: cancellationToken)).Items)
            {
                var run = job.Metadata.Annotations[KubernetesJobScanIsolation.RunAnnotation];
                seen.TryAdd(job.Metadata.Uid, (run, job.Metadata.Name));
                var play = plays.Where(p => run.Contains($"-{p.Key}-", StringComparison.Ordinal)).Select(p => p.Value).DefaultIfEmpty(KubeletPlay.Run).First();
                if (job.Spec.Suspend == true || job.Status?.Conditions is { Count: > 0 } || play == KubeletPlay.Hold || !done.Add(job.Metadata.Uid))
                {
                    continue;
                }

                // The pod never runs unfenced: a deny-all policy selects it, owned by the Job.
                var policy = await sandbox.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(job.Metadata.Name + "-isolate", system, cancellationToken: cancellationToken);
                Assert.All(policy.Spec.PodSelector.MatchLabels, l => Assert.Equal(l.Value, job.Spec.Template.Metadata.Labels[l.Key]));
                Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
                Assert.True(policy.Spec.Egress is null or { Count: 0 } && policy.Spec.Ingress is null or { Count: 0 });
                Assert.Equal(job.Metadata.Uid, policy.Metadata.OwnerReferences.Single().Uid);
                await PlayAsync(job, play, shared, openkbs, cancellationToken);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task PlayAsync(V1Job job, KubeletPlay play, string shared, string openkbs, CancellationToken cancellationToken)
    {
        var ns = job.Metadata.NamespaceProperty;
        V1ContainerStateTerminated terminated;
        if (play == KubeletPlay.DeadlineExceeded)
        {
            await JobStatusAsync(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline", cancellationToken);
            return;
        }

        if (play == KubeletPlay.OomKilled)
        {
            terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "OOMKilled" };
        }
        else
        {
            var (exit, stderr) = await RunContainerAsync(job, shared, openkbs, cancellationToken);
            terminated = new V1ContainerStateTerminated { ExitCode = exit, Reason = exit == 0 ? "Completed" : "Error", Message = exit == 0 ? null : Tail(stderr) };
        }

        var pod = await sandbox.Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = job.Metadata.Name + "-x7k2p",
                    Labels = new Dictionary<string, string>(job.Spec.Template.Metadata.Labels) { ["job-name"] = job.Metadata.Name },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = job.Metadata.Name, Uid = job.Metadata.Uid, Controller = true }],
                },
                Spec = job.Spec.Template.Spec,
            },
            ns,
            cancellationToken: cancellationToken);
        pod.Status = new V1PodStatus
        {
            Phase = terminated.ExitCode == 0 ? "Succeeded" : "Failed",
            ContainerStatuses = [new V1ContainerStatus { Name = "scan", Image = pod.Spec.Containers[0].Image, ImageID = string.Empty, Ready = false, RestartCount = 0, State = new V1ContainerState { Terminated = terminated } }],
        };
        await sandbox.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, ns, cancellationToken: cancellationToken);
        await JobStatusAsync(job, terminated.ExitCode == 0 ? "Complete" : "Failed", terminated.ExitCode == 0 ? null : "BackoffLimitExceeded", terminated.ExitCode == 0 ? null : "Job has reached the specified backoff limit", cancellationToken);
    }

    /// <summary>The container: <c>openkbs audit scan</c> with the Job's arguments and environment, its mounts resolved on the shared directory.</summary>
    private static async Task<(int Exit, string Error)> RunContainerAsync(V1Job job, string shared, string openkbs, CancellationToken cancellationToken)
    {
        var container = job.Spec.Template.Spec.Containers.Single();
        var claim = job.Spec.Template.Spec.Volumes.Single(v => v.PersistentVolumeClaim is not null);
        Assert.Equal("openkbs-scans", claim.PersistentVolumeClaim.ClaimName);
        var tmp = Directory.CreateTempSubdirectory("kubelet-tmp-").FullName;
        var mounts = container.VolumeMounts
            .Select(m => (m.MountPath, Host: m.Name == claim.Name ? Path.Combine(shared, m.SubPath) : tmp, m.ReadOnlyProperty))
            .OrderByDescending(m => m.MountPath.Length)
            .ToList();
        Assert.True(mounts.Single(m => m.MountPath == "/artifact").ReadOnlyProperty);
        var start = new ProcessStartInfo { FileName = DotnetHost(), RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(openkbs);
        foreach (var argument in container.Args)
        {
            var mount = mounts.FirstOrDefault(m => argument == m.MountPath || argument.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
            start.ArgumentList.Add(mount.Host is null ? argument : mount.Host + argument[mount.MountPath.Length..]);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        foreach (var variable in container.Env)
        {
            start.Environment[variable.Name] = variable.Value is "/tmp" ? tmp : variable.Value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Directory.Delete(tmp, recursive: true);
        return (process.ExitCode, await stderr);
    }

    private async Task JobStatusAsync(V1Job job, string type, string? reason, string? message, CancellationToken cancellationToken)
    {
        var current = await sandbox.Client.BatchV1.ReadNamespacedJobAsync(job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        current.Status ??= new V1JobStatus();
        current.Status.Conditions = [new V1JobCondition { Type = type, Status = "True", Reason = reason, Message = message, LastTransitionTime = DateTime.UtcNow }];
        current.Status.Succeeded = type == "Complete" ? 1 : 0;
        current.Status.Failed = type == "Failed" ? 1 : 0;
        await sandbox.Client.BatchV1.ReplaceNamespacedJobStatusAsync(current, current.Metadata.Name, current.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    /// <summary>What FallbackToLogsOnError keeps of a failed container's log: its last 2048 bytes.</summary>
    private static string Tail(string log) => log.Length <= 2048 ? log : log[^2048..];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            }

            await Task.Delay(200);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static string OpenKbsDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var openkbs = Path.Combine(SandboxFixture.RepositoryRoot(), "src", "OpenKbs.Operator", "bin", configuration, "net10.0", "openkbs.dll");
        Assert.True(File.Exists(openkbs), $"build src/OpenKbs.Operator first ({openkbs} is missing)");
        return openkbs;
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal) ? path : "dotnet";
}
