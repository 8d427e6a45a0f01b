using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenKbs.Audit.Isolation;

/// <summary>Where a scan Job runs and what it mounts. Volume sources are Kubernetes volume JSON (e.g. <c>{"persistentVolumeClaim":{"claimName":"x","readOnly":true}}</c>).</summary>
public sealed record KubernetesScanOptions
{
    public required string Namespace { get; init; }

    /// <summary>The operator image (it holds <c>openkbs</c>); its entrypoint is <c>openkbs</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The volume holding the artifact file, mounted read-only at /artifact.</summary>
    public required JsonObject ArtifactVolume { get; init; }

    /// <summary>The volume the reports are written to (/reports), e.g. a claim the operator reads back; default: an emptyDir.</summary>
    public JsonObject? ReportsVolume { get; init; }

    /// <summary>The OSV advisory files, mounted read-only at /advisories (e.g. a ConfigMap or a claim); null: none.</summary>
    public JsonObject? AdvisoriesVolume { get; init; }

    public string CpuLimit { get; init; } = "1";

    /// <summary>Kept this long after the Job finishes, for its logs and status.</summary>
    public TimeSpan KeepFinishedFor { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>A scan Job and the NetworkPolicy that cuts its pod off the network, ready to apply.</summary>
public sealed record KubernetesScanManifests(JsonObject Job, JsonObject NetworkPolicy);

/// <summary>
/// The cluster path: <c>openkbs audit scan</c> as a Job whose pod is locked down: non-root (65532), read-only root
/// file system, every capability dropped, no privilege escalation, seccomp RuntimeDefault, no service-account token,
/// no service links, CPU/memory/ephemeral-storage limits, DOTNET_GCHeapHardLimit below the memory limit,
/// activeDeadlineSeconds from the run's time limit, no retries; and a NetworkPolicy that denies the pod all ingress
/// and egress (DNS included). The artifact comes in on a read-only volume; the reports go out on a volume. Applying
/// the manifests, waiting for the Job and reading the reports back is the <paramref name="submit"/> step, which needs
/// a Kubernetes client and lives with the AuditRun controller.
/// </summary>
public sealed class KubernetesJobScanIsolation(KubernetesScanOptions options, Func<KubernetesScanManifests, CancellationToken, Task<IsolatedScanResult>> submit) : IScanIsolation
{
    public const string ScanLabel = "openkbs.com/audit-scan";
    public const int RunAsUser = 65532;

    public Task<IsolatedScanResult> ScanAsync(IsolatedScanRequest request, CancellationToken cancellationToken) =>
        submit(Build(request), cancellationToken);

    public KubernetesScanManifests Build(IsolatedScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = JobName(request.Name);
        if (request.Artifact.Contains('/', StringComparison.Ordinal) || request.Artifact is "." or "..")
        {
            throw new ArgumentException("the artifact of a Job scan is a file name inside the artifact volume", nameof(request));
        }

        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = "openkbs-audit-scan",
            ["app.kubernetes.io/managed-by"] = "openkbs-operator",
            [ScanLabel] = name,
        };
        var arguments = ChildProcessScanIsolation.ScanArguments(
            request with { AdvisoriesDirectory = options.AdvisoriesVolume is null ? null : "/advisories" },
            "/artifact/" + request.Artifact,
            "/reports",
            null);
        // The managed heap is three quarters of the container limit: the rest is for the runtime, stacks and native buffers.
        var memoryLimit = request.MemoryLimitBytes + (request.MemoryLimitBytes / 3);
        var deadline = (long)Math.Ceiling(request.TimeLimit.TotalSeconds) + 60;
        var volumes = new JsonArray
        {
            Volume("artifact", options.ArtifactVolume),
            Volume("reports", options.ReportsVolume ?? new JsonObject { ["emptyDir"] = new JsonObject { ["sizeLimit"] = "64Mi" } }),
            Volume("tmp", new JsonObject { ["emptyDir"] = new JsonObject { ["sizeLimit"] = "256Mi" } }),
        };
        var mounts = new JsonArray
        {
            new JsonObject { ["name"] = "artifact", ["mountPath"] = "/artifact", ["readOnly"] = true },
            new JsonObject { ["name"] = "reports", ["mountPath"] = "/reports" },
            new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" },
        };
        if (options.AdvisoriesVolume is { } advisories)
        {
            volumes.Add(Volume("advisories", advisories));
            mounts.Add(new JsonObject { ["name"] = "advisories", ["mountPath"] = "/advisories", ["readOnly"] = true });
        }

        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = options.Namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["backoffLimit"] = 0,
                ["activeDeadlineSeconds"] = deadline,
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
                            ["imagePullPolicy"] = "IfNotPresent",
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

    /// <summary>"audit-scan-" and the run's name, cut to 63 characters (a label value and a DNS label).</summary>
    public static string JobName(string runName)
    {
        var name = "audit-scan-" + new string([.. runName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        return name.Length <= 63 ? name.TrimEnd('-') : name[..63].TrimEnd('-');
    }

    private static JsonObject Volume(string name, JsonObject source)
    {
        var volume = (JsonObject)source.DeepClone();
        volume["name"] = name;
        return volume;
    }

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>Bytes as a Kubernetes quantity in Mi, rounded up.</summary>
    private static string Quantity(long bytes) => $"{(bytes + (1024 * 1024) - 1) / (1024 * 1024)}Mi";
}
