using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Audit.Isolation;

/// <summary>
/// Where a scan Job runs and the shared volume it works in: a ReadWriteMany claim (EFS on EKS, NFS) that the operator pod mounts at
/// <see cref="SharedRoot"/>; the Job mounts the same claim by subPath, so its pod sees only its own run's folders.
/// </summary>
public sealed record KubernetesScanOptions
{
    /// <summary>Where the Jobs run: the operator's own namespace (the claim lives there).</summary>
    public required string Namespace { get; init; }

    /// <summary>The operator image (it holds <c>openkbs</c>); its entrypoint is <c>openkbs</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The ReadWriteMany PersistentVolumeClaim (in <see cref="Namespace"/>) both the operator and the scan pods mount.</summary>
    public required string ClaimName { get; init; }

    /// <summary>Where the operator pod mounts <see cref="ClaimName"/> (its root): each run gets the folder <c>SharedRoot/JOB-NAME</c>.</summary>
    public required string SharedRoot { get; init; }

    public string CpuLimit { get; init; } = "1";

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>The Job's own clean-up (ttlSecondsAfterFinished) should the operator not delete it, e.g. its AuditRun was deleted mid-scan.</summary>
    public TimeSpan KeepFinishedFor { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A run folder untouched this long is a leftover (its AuditRun was deleted mid-scan) and is removed when another scan starts.</summary>
    public TimeSpan SweepAfter { get; init; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The shared scan volume is not usable in the operator (not mounted at its mount path, or not writable): nothing was submitted.
/// An environment condition that can heal (the volume is mounted late, a full or read-only mount is fixed), so the caller retries.
/// </summary>
public sealed class ScanVolumeUnavailableException(string mountPath, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Where the operator expects the claim (AuditRun:ScanJobMountPath).</summary>
    public string MountPath { get; } = mountPath;
}

/// <summary>A scan Job and the NetworkPolicy that cuts its pod off the network, ready to apply.</summary>
public sealed record KubernetesScanManifests(JsonObject Job, JsonObject NetworkPolicy)
{
    public string Namespace => Job["metadata"]!["namespace"]!.GetValue<string>();

    public string Name => Job["metadata"]!["name"]!.GetValue<string>();
}

/// <summary>What the cluster says about a scan Job: finished or not, and how its pod ended.</summary>
public sealed record ScanJobState
{
    /// <summary>The Job has the condition Complete or Failed.</summary>
    public bool Finished { get; init; }

    /// <summary>The Job is Complete (its pod exited 0).</summary>
    public bool Succeeded { get; init; }

    /// <summary>The Job failed with reason DeadlineExceeded (activeDeadlineSeconds passed; the pod was killed).</summary>
    public bool DeadlineExceeded { get; init; }

    /// <summary>The scan container was OOMKilled.</summary>
    public bool OutOfMemory { get; init; }

    /// <summary>The scan container's exit code, when its pod was still there to say.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The container's termination message (the tail of its log when it failed) or the Job's failure message.</summary>
    public string Message { get; init; } = string.Empty;
}

/// <summary>The Kubernetes side of a Job scan (the AuditRun controller implements it with the runtime's client).</summary>
public interface IScanJobClient
{
    /// <summary>The Job's state, or null when there is no Job of that name (or it is being deleted).</summary>
    Task<ScanJobState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the NetworkPolicy and the Job (so the pod never runs without the policy); what exists already is kept.</summary>
    Task SubmitAsync(KubernetesScanManifests manifests, CancellationToken cancellationToken);

    /// <summary>Waits until the Job finishes or <paramref name="limit"/> passes (then the state is not <see cref="ScanJobState.Finished"/>).</summary>
    Task<ScanJobState> WaitAsync(string @namespace, string name, TimeSpan limit, CancellationToken cancellationToken);

    /// <summary>Deletes the Job (its pod with it) and its NetworkPolicy; what is gone already is fine.</summary>
    Task DeleteAsync(string @namespace, string name, CancellationToken cancellationToken);
}

/// <summary>
/// The cluster path: <c>openkbs audit scan</c> as a Job whose pod is locked down: non-root (65532), read-only root
/// file system, every capability dropped, no privilege escalation, seccomp RuntimeDefault, no service-account token,
/// no service links, CPU/memory/ephemeral-storage limits, DOTNET_GCHeapHardLimit below the memory limit,
/// activeDeadlineSeconds from the run's time limit, no retries; and a NetworkPolicy that denies the pod all ingress
/// and egress (DNS included). The run's inputs (artifact, suppressions, live configuration) are written to its folder on the
/// shared claim, the advisories once per content to a shared folder there (<see cref="AdvisoriesFolder"/>); the pod mounts them
/// read-only by subPath and writes its reports to the run's reports folder, which is read back here. The Job's name is a
/// function of the run, so a pass after an operator restart finds the Job the last one submitted and waits for it instead of
/// starting another. The folder, the Job and its policy are deleted once the reports are read; a cancelled wait (shutdown)
/// leaves them for the next pass.
/// </summary>
public sealed class KubernetesJobScanIsolation(KubernetesScanOptions options, IScanJobClient jobs, TimeProvider time) : IScanIsolation
{
    public const string ScanLabel = "openkbs.com/audit-scan";
    public const int RunAsUser = 65532;

    /// <summary>The Job's annotation naming its run (<see cref="IsolatedScanRequest.Name"/>).</summary>
    public const string RunAnnotation = "openkbs.com/audit-run";

    /// <summary>Over activeDeadlineSeconds, for the Job controller to mark the Job failed before the wait gives up on it.</summary>
    private static readonly TimeSpan WaitGrace = TimeSpan.FromMinutes(2);

    public async Task<IsolatedScanResult> ScanAsync(IsolatedScanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Directory.Exists(request.Artifact))
        {
            throw new ArgumentException("a Job scan takes an archive file, not a directory", nameof(request));
        }

        // First: without the volume nothing can be told about a Job's folder (a Job found must not be deleted for that).
        RequireSharedVolume();
        var name = JobName(request.Name);
        var folder = Path.Combine(options.SharedRoot, name);
        var existing = await jobs.FindAsync(options.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && !File.Exists(Path.Combine(folder, "input", ArtifactFile)))
        {
            // The folder went away (a clean-up that stopped half-way): the Job's result cannot be read. Start again.
            await jobs.DeleteAsync(options.Namespace, name, cancellationToken).ConfigureAwait(false);
            existing = null;
        }

        var advisories = AdvisoriesFolder(request.AdvisoriesDirectory);
        if (existing is null)
        {
            Sweep(advisories);
            if (advisories is not null)
            {
                PublishAdvisories(request.AdvisoriesDirectory!, advisories);
            }

            await PrepareAsync(request, folder, cancellationToken).ConfigureAwait(false);
        }

        // Also for a Job found: a submission a crash cut short (a Job still suspended, no policy yet) is completed.
        await jobs.SubmitAsync(Build(request, advisories), cancellationToken).ConfigureAwait(false);

        var state = await jobs.WaitAsync(options.Namespace, name, Deadline(request) + WaitGrace, cancellationToken).ConfigureAwait(false);
        var reports = Path.Combine(folder, "reports");
        var result = new IsolatedScanResult
        {
            ExitCode = state.Succeeded ? 0 : state.ExitCode ?? -1,
            TimedOut = state.DeadlineExceeded || !state.Finished,
            OutOfMemory = state.OutOfMemory,
            Sarif = ReadIfExists(Path.Combine(reports, "audit.sarif")),
            Markdown = ReadIfExists(Path.Combine(reports, "audit.md")),
            Json = ReadIfExists(Path.Combine(reports, "audit.json")),
            Error = state.Message,
            Isolation = Describe(request, name),
        };
        await jobs.DeleteAsync(options.Namespace, name, cancellationToken).ConfigureAwait(false);
        DeleteFolder(folder);
        return result;
    }

    /// <summary>The name of the archive in the run's input folder (the pod sees it as <c>/artifact/artifact.zip</c>).</summary>
    public const string ArtifactFile = "artifact.zip";

    /// <summary>The first part of the shared advisories folder's name on the claim; the rest is the SHA-256 of its content.</summary>
    public const string AdvisoriesPrefix = "advisories-";

    /// <summary>The manifests of <paramref name="request"/>'s Job, its advisories the shared folder of what its directory holds now.</summary>
    public KubernetesScanManifests Build(IsolatedScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Build(request, AdvisoriesFolder(request.AdvisoriesDirectory));
    }

    /// <summary>
    /// The shared advisories folder for the OSV directory <paramref name="directory"/>: <c>advisories-</c> and the SHA-256 over its
    /// <c>.json</c> files (each file's SHA-256 and relative path, in ordinal order), so equal content is one folder, written once, and
    /// changed advisories another. Null when there is no directory or it holds no <c>.json</c> file: nothing is mounted at
    /// <c>/advisories</c>, the scan finds no advisories there and the dependencies check fails closed.
    /// </summary>
    public static string? AdvisoriesFolder(string? directory)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return null;
        }

        var lines = new StringBuilder();
        foreach (var file in AdvisoryFiles(directory))
        {
            lines.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, file))))).Append("  ").Append(file).Append('\n');
        }

        return lines.Length == 0 ? null : AdvisoriesPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    private KubernetesScanManifests Build(IsolatedScanRequest request, string? advisoriesFolder)
    {
        var name = JobName(request.Name);
        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = "openkbs-audit-scan",
            ["app.kubernetes.io/managed-by"] = "openkbs-operator",
            [ScanLabel] = name,
        };
        // --advisories whenever the run has a directory: without a shared folder (none there) /advisories is absent and the check fails closed.
        var arguments = ChildProcessScanIsolation.ScanArguments(
            request with { AdvisoriesDirectory = request.AdvisoriesDirectory is null ? null : "/advisories" },
            "/artifact/" + ArtifactFile,
            "/reports",
            request.SuppressionsJson is null ? null : "/artifact/suppressions.json",
            request.InfrastructureJson is null ? null : "/artifact/infrastructure.json");
        // The managed heap is three quarters of the container limit: the rest is for the runtime, stacks and native buffers.
        var memoryLimit = request.MemoryLimitBytes + (request.MemoryLimitBytes / 3);
        var volumes = new JsonArray
        {
            new JsonObject { ["name"] = "run", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = options.ClaimName } },
            new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "256Mi" } },
        };
        var mounts = new JsonArray
        {
            new JsonObject { ["name"] = "run", ["mountPath"] = "/artifact", ["subPath"] = name + "/input", ["readOnly"] = true },
            new JsonObject { ["name"] = "run", ["mountPath"] = "/reports", ["subPath"] = name + "/reports" },
            new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" },
        };
        if (advisoriesFolder is not null)
        {
            // The one shared copy of these advisories on the claim (content-addressed, never written after it is complete).
            mounts.Add(new JsonObject { ["name"] = "run", ["mountPath"] = "/advisories", ["subPath"] = advisoriesFolder, ["readOnly"] = true });
        }

        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = options.Namespace,
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject { [RunAnnotation] = request.Name },
            },
            ["spec"] = new JsonObject
            {
                ["backoffLimit"] = 0,
                ["activeDeadlineSeconds"] = (long)Deadline(request).TotalSeconds,
                ["ttlSecondsAfterFinished"] = (long)options.KeepFinishedFor.TotalSeconds,
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["automountServiceAccountToken"] = false,
                        ["enableServiceLinks"] = false,
                        ["hostNetwork"] = false,
                        ["hostPID"] = false,
                        ["hostIPC"] = false,
                        ["securityContext"] = new JsonObject
                        {
                            ["runAsNonRoot"] = true,
                            ["runAsUser"] = RunAsUser,
                            ["runAsGroup"] = RunAsUser,
                            ["fsGroup"] = RunAsUser,
                            ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
                        },
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "scan",
                            ["image"] = options.Image,
                            ["imagePullPolicy"] = options.ImagePullPolicy,
                            ["args"] = new JsonArray([.. arguments.Select(a => (JsonNode)a)]),
                            ["env"] = new JsonArray(
                                Env("DOTNET_GCHeapHardLimit", request.MemoryLimitBytes.ToString("X", CultureInfo.InvariantCulture)),
                                Env("DOTNET_gcServer", "0"),
                                Env("DOTNET_EnableDiagnostics", "0"),
                                Env("HOME", "/tmp"),
                                Env("TMPDIR", "/tmp")),
                            ["resources"] = new JsonObject
                            {
                                ["requests"] = new JsonObject { ["cpu"] = "250m", ["memory"] = Quantity(memoryLimit), ["ephemeral-storage"] = "64Mi" },
                                ["limits"] = new JsonObject { ["cpu"] = options.CpuLimit, ["memory"] = Quantity(memoryLimit), ["ephemeral-storage"] = "512Mi" },
                            },
                            ["securityContext"] = new JsonObject
                            {
                                ["runAsNonRoot"] = true,
                                ["allowPrivilegeEscalation"] = false,
                                ["privileged"] = false,
                                ["readOnlyRootFilesystem"] = true,
                                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
                            },
                            // A failed scan's last log lines become the termination message: the operator reads them without pods/log.
                            ["terminationMessagePolicy"] = "FallbackToLogsOnError",
                            ["volumeMounts"] = mounts,
                        }),
                        ["volumes"] = volumes,
                    },
                },
            },
        };
        var policy = new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "NetworkPolicy",
            ["metadata"] = new JsonObject { ["name"] = name + "-isolate", ["namespace"] = options.Namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ScanLabel] = name } },
                ["policyTypes"] = new JsonArray("Ingress", "Egress"),
                ["ingress"] = new JsonArray(),
                ["egress"] = new JsonArray(),
            },
        };
        return new KubernetesScanManifests(job, policy);
    }

    /// <summary>
    /// "audit-scan-", the run's name cut to fit, and 8 hex digits of its SHA-256: a DNS label of at most 63 characters (also a
    /// label value) that two runs whose names share a long prefix do not share.
    /// </summary>
    public static string JobName(string runName)
    {
        ArgumentNullException.ThrowIfNull(runName);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runName)))[..8];
        var readable = new string([.. runName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        readable = readable.Length <= 43 ? readable : readable[..43].TrimEnd('-');
        return readable.Length == 0 ? $"audit-scan-{hash}" : $"audit-scan-{readable}-{hash}";
    }

    /// <summary>The Job's activeDeadlineSeconds: the scan's own time limit and a minute for the pod to be scheduled and start.</summary>
    private static TimeSpan Deadline(IsolatedScanRequest request) => TimeSpan.FromSeconds(Math.Ceiling(request.TimeLimit.TotalSeconds) + 60);

    /// <summary>The run's folder anew: input (artifact, suppressions, live configuration) and an empty reports folder.</summary>
    private static async Task PrepareAsync(IsolatedScanRequest request, string folder, CancellationToken cancellationToken)
    {
        DeleteFolder(folder);
        var input = Directory.CreateDirectory(Path.Combine(folder, "input")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "reports"));
        if (request.SuppressionsJson is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(input, "suppressions.json"), request.SuppressionsJson, cancellationToken).ConfigureAwait(false);
        }

        if (request.InfrastructureJson is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(input, "infrastructure.json"), request.InfrastructureJson, cancellationToken).ConfigureAwait(false);
        }

        // The artifact last: its presence says the folder is complete (a Job found later is waited for only then).
        File.Copy(request.Artifact, Path.Combine(input, ArtifactFile + ".part"));
        File.Move(Path.Combine(input, ArtifactFile + ".part"), Path.Combine(input, ArtifactFile));
    }

    /// <summary>
    /// Removes what nobody touched for <see cref="KubernetesScanOptions.SweepAfter"/>: run folders (their AuditRun went away
    /// mid-scan), advisories folders no run used (each run touches the one it mounts), copies a crash left half-written.
    /// </summary>
    private void Sweep(string? current)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.SweepAfter;
        var root = new DirectoryInfo(options.SharedRoot);
        var stale = root.EnumerateDirectories("audit-scan-*")
            .Concat(root.EnumerateDirectories(AdvisoriesPrefix + "*").Where(d => !string.Equals(d.Name, current, StringComparison.Ordinal)))
            .Concat(root.EnumerateDirectories("." + AdvisoriesPrefix + "*"))
            .Where(d => d.LastWriteTimeUtc < cutoff)
            .ToList();
        foreach (var folder in stale)
        {
            DeleteFolder(folder.FullName);
        }
    }

    /// <summary>
    /// The advisories of <paramref name="source"/> in the shared folder <paramref name="folder"/>, written once: copied to a hidden
    /// folder and renamed into place, so the folder exists only complete (a concurrent scan that renamed first wins, the copy is
    /// dropped). Found complete, it is only touched (the sweep keeps what runs use).
    /// </summary>
    private void PublishAdvisories(string source, string folder)
    {
        var target = Path.Combine(options.SharedRoot, folder);
        if (Directory.Exists(target))
        {
            Directory.SetLastWriteTimeUtc(target, time.GetUtcNow().UtcDateTime);
            return;
        }

        var part = Path.Combine(options.SharedRoot, $".{folder}.part-{Guid.NewGuid():N}");
        foreach (var file in AdvisoryFiles(source))
        {
            var copy = Path.Combine(part, file);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(Path.Combine(source, file), copy);
        }

        try
        {
            Directory.Move(part, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            DeleteFolder(part);
        }
    }

    /// <summary>The OSV files of <paramref name="directory"/> (the <c>.json</c> files the scan reads), relative, '/'-separated, in ordinal order.</summary>
    private static IEnumerable<string> AdvisoryFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The shared claim is mounted at <see cref="KubernetesScanOptions.SharedRoot"/> and the operator can write there (a probe file
    /// is created and removed), else <see cref="ScanVolumeUnavailableException"/>: an environment condition that can heal (the volume
    /// not mounted yet, a read-only or full mount), retried by the caller.
    /// </summary>
    private void RequireSharedVolume()
    {
        var root = options.SharedRoot;
        var where = $"{root} (AuditRun:ScanJobMountPath, the claim {options.ClaimName} in {options.Namespace})";
        if (File.Exists(root))
        {
            throw new ScanVolumeUnavailableException(root, $"the shared scan volume's mount path {where} is a file, not a directory");
        }

        if (!Directory.Exists(root))
        {
            throw new ScanVolumeUnavailableException(root, $"the shared scan volume is not mounted: {where} does not exist in the operator pod");
        }

        var probe = Path.Combine(root, $".openkbs-write-probe-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScanVolumeUnavailableException(root, $"the shared scan volume at {where} is not writable by the operator: {ex.Message}", ex);
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Gone already.
        }
    }

    private string Describe(IsolatedScanRequest request, string name) =>
        $"Kubernetes Job {options.Namespace}/{name}: non-root, read-only root, no service-account token, no network (deny-all NetworkPolicy), "
        + $"memory limit {Quantity(request.MemoryLimitBytes + (request.MemoryLimitBytes / 3))}, deadline {Deadline(request).TotalSeconds:0} s";

    private static byte[]? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>Bytes as a Kubernetes quantity in Mi, rounded up.</summary>
    private static string Quantity(long bytes) => $"{(bytes + (1024 * 1024) - 1) / (1024 * 1024)}Mi";
}
