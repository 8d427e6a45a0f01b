using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Isolation;
using OpenKbs.Controllers.AuditRuns;
using OpenKbs.Runtime.Kube;
using OpenKbs.Testing;
using Testcontainers.K3s;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.AuditRuns;

/// <summary>
/// The scan Job for real, on k3s in Docker (Testcontainers.K3s), where the sandbox (which runs no pods) cannot go: the operator
/// image built from the repository's Dockerfile runs <c>openkbs audit scan</c> in the locked-down pod the operator submits, in a
/// namespace that enforces the <c>restricted</c> Pod Security Standard (a pod spec that breaks it is refused and the scan never
/// ends), on the shared ReadWriteMany claim (a hostPath PersistentVolume on the k3s node, bind-mounted from a folder of this
/// process: the operator's mount of the claim), with the deny-all NetworkPolicy enforced by k3s's network policy controller.
/// Driven through the controller's own seam (<see cref="IsolatedAuditScanner"/> over <see cref="KubernetesJobScanIsolation"/>
/// and <see cref="ScanJobClient"/> on the runtime's <see cref="JobObjects"/>): a clean artifact passes, a vulnerable lockfile
/// matched against the shared advisories fails with its finding; a fenced probe pod reaches nothing while an unfenced one does.
/// Skipped, with the reason, where no Docker engine is reachable (as here). How to run it: docs/audit.md, "Isolation".
/// </summary>
[UnsupportedOSPlatform("windows")] // the claim's folder modes (Linux or macOS with Docker)
public sealed class ScanJobK3sTests(ITestOutputHelper output)
{
    /// <summary>Where the k3s node sees the shared folder (the hostPath of the claim's volume).</summary>
    private const string NodeScans = "/var/openkbs-scans";

    /// <summary>The environment variable naming an operator image already in the local Docker engine (else the test builds one).</summary>
    private const string ImageVariable = "OPENKBS_K3S_SCAN_IMAGE";

    private const string BuiltImage = "openkbs-operator:k3s-scan-test";

    private const string Probe = "busybox:1.36.1";

    [SkippableFact]
    public async Task The_scan_job_runs_locked_down_on_k3s_reads_the_shared_advisories_and_its_pod_reaches_no_network()
    {
        var missing = DockerEngine.Missing;
        if (missing is not null)
        {
            output.WriteLine($"skipped: {missing}; the scan Job runs for real only on k3s in Docker");
        }

        Skip.If(missing is not null, $"{missing}: the scan Job's k3s run is skipped (AuditRunOperatorTests covers it against the sandbox)");

        var work = Directory.CreateTempSubdirectory("openkbs-k3s-scan-");
        var shared = Directory.CreateDirectory(Path.Combine(work.FullName, "claim"));
        // The scan pod runs as 65532 and must reach its folders on the claim (CreateTempSubdirectory is owner-only).
        File.SetUnixFileMode(work.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(shared.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } given ? given : await BuildImageAsync();
            var tar = Path.Combine(work.FullName, "images.tar");
            await DockerAsync("save", "-o", tar, image);
            await using var k3s = new K3sBuilder("rancher/k3s:v1.32.4-k3s1")
                .WithBindMount(shared.FullName, NodeScans)
                .WithResourceMapping(new FileInfo(tar), "/var/lib/rancher/k3s/agent/images/") // imported by k3s when it starts
                .Build();
            await k3s.StartAsync();
            using var client = await ClientAsync(k3s);
            var ns = await ScanNamespaceAsync(client);

            var settings = new AuditRunOptions
            {
                Isolation = ScanIsolation.KubernetesJob,
                ScanJobNamespace = ns,
                ScanJobImage = image,
                ScanJobClaimName = "openkbs-scans",
                ScanJobMountPath = shared.FullName,
                ScanJobPollInterval = TimeSpan.FromSeconds(1),
                ScanMemoryLimitMiB = 512,
                TimeLimit = TimeSpan.FromMinutes(3),
                AdvisoriesDirectory = Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "advisories"),
            };
            var jobs = new ObservedJobs(new ScanJobClient(new JobObjects(client), TimeProvider.System, settings.ScanJobPollInterval), client, shared.FullName);
            var isolation = new KubernetesJobScanIsolation(AuditRunRegistration.ScanJobOptions(settings), jobs, TimeProvider.System);
            var scanner = new IsolatedAuditScanner(isolation, settings);

            // A clean handler with a lockfile: every check completes (dependencies against the advisories the pod reads from the claim).
            var clean = await ScanAsync(scanner, "k3s-clean", AuditRunOperatorTests.Zip(("api.js", "exports.handler = async () => ({ statusCode: 200 });\n"), ("package-lock.json", Lockfile("1.2.8"))));
            output.WriteLine(clean.ToJsonString());
            Assert.Equal("Passed", clean["verdict"]!.GetValue<string>());
            var dependencies = clean["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "dependencies")!;
            Assert.Equal("Completed", dependencies["status"]!.GetValue<string>());
            Assert.Contains("OSV directory /advisories (", dependencies["provenance"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("k3s/shop@1.0.0", clean["artifact"]!["subject"]!.GetValue<string>());
            AssertRanLockedDown(jobs.Pods.Single(), exitCode: 0);

            // A vulnerable minimist: the pod exits 1 with its reports; the finding comes from the shared advisories.
            var vulnerable = await ScanAsync(scanner, "k3s-vulnerable", AuditRunOperatorTests.Zip(("api.js", "exports.handler = async () => ({ statusCode: 200 });\n"), ("package-lock.json", Lockfile("1.2.5"))));
            output.WriteLine(vulnerable.ToJsonString());
            Assert.Equal("Failed", vulnerable["verdict"]!.GetValue<string>());
            Assert.Contains(vulnerable["findings"]!.AsArray(), f => f!["check"]!.GetValue<string>() == "dependencies" && f["message"]!.GetValue<string>().Contains("minimist", StringComparison.Ordinal));
            AssertRanLockedDown(jobs.Pods[^1], exitCode: 1);

            // Cleaned up: no Job or policy left; on the claim only the one shared advisories folder, reused by both runs.
            Assert.Empty((await client.BatchV1.ListNamespacedJobAsync(ns)).Items);
            Assert.Empty((await client.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns)).Items);
            Assert.Equal([KubernetesJobScanIsolation.AdvisoriesFolder(settings.AdvisoriesDirectory)], shared.GetDirectories().Select(d => d.Name));

            // The policy the operator builds cuts its pod off: a probe under it reaches nothing, the same probe without it does.
            await AssertFencedAsync(client, ns, isolation.Build(new IsolatedScanRequest { Name = "k3s-probe", Artifact = "artifact.zip" }).NetworkPolicy);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<JsonObject> ScanAsync(IsolatedAuditScanner scanner, string run, byte[] zip)
    {
        var reports = await scanner.ScanAsync(
            new AuditRequest
            {
                ArtifactBytes = zip,
                ExpectedSha256 = Convert.ToHexStringLower(SHA256.HashData(zip)),
                Subject = "k3s/shop@1.0.0",
                Source = "s3://openkbs-artifacts/k3s/shop-1.0.0.zip",
                Checks = ["code", "secrets", "dependencies"],
                Policy = new AuditPolicy { FailOn = Severity.Critical },
                TimeLimit = TimeSpan.FromMinutes(3),
            },
            $"{run}-{Guid.NewGuid():N}"[..24],
            CancellationToken.None);
        return JsonNode.Parse(reports.Json.Content)!.AsObject();
    }

    /// <summary>The pod ran to its end on the node as the manifest says: 65532, no service-account token, the claim by subPath only.</summary>
    private static void AssertRanLockedDown(V1Pod pod, int exitCode)
    {
        var container = pod.Spec.Containers.Single();
        Assert.Equal("scan", container.Name);
        Assert.Equal(exitCode, pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal(65532, pod.Spec.SecurityContext.RunAsUser);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.DoesNotContain(container.VolumeMounts, m => m.MountPath.StartsWith("/var/run/secrets", StringComparison.Ordinal));
        Assert.All(container.VolumeMounts.Where(m => m.Name == "run"), m => Assert.False(string.IsNullOrEmpty(m.SubPath)));
    }

    /// <summary>
    /// A web server and two probes that fetch from its ClusterIP (no DNS needed): the one labelled as the policy selects fails, the
    /// unlabelled one succeeds (so the failure is the policy's doing, not a broken network). The probes wait 3 s first: a policy
    /// controller programs its rules a moment after a pod appears.
    /// </summary>
    private async Task AssertFencedAsync(IKubernetes client, string ns, JsonObject policyManifest)
    {
        var policy = KubernetesJson.Deserialize<V1NetworkPolicy>(policyManifest.ToJsonString());
        policy.Metadata.NamespaceProperty = ns;
        await client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, ns);
        var (key, value) = policy.Spec.PodSelector.MatchLabels.Single();
        await client.CoreV1.CreateNamespacedPodAsync(ProbePod("web", new Dictionary<string, string> { ["app"] = "web" }, "mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www", "Always"), ns);
        var service = await client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 8080, TargetPort = 8080 }] },
            },
            ns);
        await WaitAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("web", ns)).Status?.Phase == "Running", "the web pod to run");
        var fetch = $"sleep 3; wget -q -T 5 -O - http://{service.Spec.ClusterIP}:8080/";
        await client.CoreV1.CreateNamespacedPodAsync(ProbePod("open", new Dictionary<string, string> { ["app"] = "probe" }, fetch, "Never"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(ProbePod("fenced", new Dictionary<string, string> { ["app"] = "probe", [key] = value }, fetch, "Never"), ns);
        var open = await EndedAsync(client, ns, "open");
        var fenced = await EndedAsync(client, ns, "fenced");
        output.WriteLine($"unfenced probe: {open}; fenced probe: {fenced}");
        Assert.Equal("Succeeded", open);
        Assert.Equal("Failed", fenced);
    }

    private static V1Pod ProbePod(string name, Dictionary<string, string> labels, string script, string restart) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            RestartPolicy = restart,
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 65532, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Containers =
            [
                new V1Container
                {
                    Name = "probe",
                    Image = Probe,
                    Command = ["sh", "-c", script],
                    SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                },
            ],
        },
    };

    private static async Task<string> EndedAsync(IKubernetes client, string ns, string name)
    {
        string? phase = null;
        await WaitAsync(async () => (phase = (await client.CoreV1.ReadNamespacedPodAsync(name, ns)).Status?.Phase) is "Succeeded" or "Failed", $"the probe {name} to end");
        return phase!;
    }

    /// <summary>A namespace enforcing the restricted Pod Security Standard, with the claim (RWX, a hostPath volume on the node's shared folder).</summary>
    private static async Task<string> ScanNamespaceAsync(IKubernetes client)
    {
        var ns = SandboxFixture.UniqueName("openkbs-scan");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "restricted" } },
        });
        await client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = ns + "-scans" },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                AccessModes = ["ReadWriteMany"],
                PersistentVolumeReclaimPolicy = "Retain",
                StorageClassName = string.Empty,
                HostPath = new V1HostPathVolumeSource { Path = NodeScans, Type = "Directory" },
                ClaimRef = new V1ObjectReference { NamespaceProperty = ns, Name = "openkbs-scans" },
            },
        });
        await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = "openkbs-scans" },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteMany"],
                    StorageClassName = string.Empty,
                    VolumeName = ns + "-scans",
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            },
            ns);
        await WaitAsync(async () => (await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("openkbs-scans", ns)).Status?.Phase == "Bound", "the claim to be bound");
        return ns;
    }

    private static async Task<Kubernetes> ClientAsync(K3sContainer k3s)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(await k3s.GetKubeconfigAsync()));
        return new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream));
    }

    /// <summary>The operator image from the repository's Dockerfile, with the Docker CLI (BuildKit: the Dockerfile uses its platform arguments).</summary>
    private async Task<string> BuildImageAsync()
    {
        output.WriteLine($"building {BuiltImage} from the repository's Dockerfile (set {ImageVariable} to use an image already built)");
        await DockerAsync("build", "-t", BuiltImage, SandboxFixture.RepositoryRoot());
        return BuiltImage;
    }

    private static async Task DockerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"docker {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            }

            await Task.Delay(1000);
        }
    }

    private static string Lockfile(string minimist) => new JsonObject
    {
        ["name"] = "shop",
        ["version"] = "1.0.0",
        ["lockfileVersion"] = 3,
        ["requires"] = true,
        ["packages"] = new JsonObject
        {
            [""] = new JsonObject { ["name"] = "shop", ["version"] = "1.0.0", ["dependencies"] = new JsonObject { ["minimist"] = minimist } },
            ["node_modules/minimist"] = new JsonObject
            {
                ["version"] = minimist,
                ["resolved"] = $"https://registry.npmjs.org/minimist/-/minimist-{minimist}.tgz",
                ["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes(minimist))),
            },
        },
    }.ToJsonString();

    /// <summary>
    /// The operator's <see cref="ScanJobClient"/>, observed: it records each scan pod before the Job is deleted, and gives the run's
    /// reports folder to the scan pod's user. In a cluster the operator and the scan pod both run as 65532, so the pod writes the
    /// folder the operator made; here the operator's code runs as this test process's user, so the folder is opened to all instead.
    /// </summary>
    private sealed class ObservedJobs(ScanJobClient inner, IKubernetes client, string shared) : IScanJobClient
    {
        public List<V1Pod> Pods { get; } = [];

        public Task<ScanJobState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken) => inner.FindAsync(@namespace, name, cancellationToken);

        public Task SubmitAsync(KubernetesScanManifests manifests, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(manifests);
            File.SetUnixFileMode(Path.Combine(shared, manifests.Name, "reports"), (UnixFileMode)0b111_111_111);
            return inner.SubmitAsync(manifests, cancellationToken);
        }

        public Task<ScanJobState> WaitAsync(string @namespace, string name, TimeSpan limit, CancellationToken cancellationToken) => inner.WaitAsync(@namespace, name, limit, cancellationToken);

        public async Task DeleteAsync(string @namespace, string name, CancellationToken cancellationToken)
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: $"{KubernetesJobScanIsolation.ScanLabel}={name}", cancellationToken: cancellationToken);
            Pods.AddRange(pods.Items);
            await inner.DeleteAsync(@namespace, name, cancellationToken);
        }
    }
}
