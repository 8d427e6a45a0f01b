namespace OpenKbs.Controllers.AuditRuns;

/// <summary>Where an AuditRun's scan of untrusted code runs.</summary>
public enum ScanIsolation
{
    /// <summary><c>openkbs audit scan</c> as a child process: clean environment (no credentials), heap limit, wall-clock kill,
    /// its own network namespace (see <see cref="AuditRunOptions.ScanWithoutNetwork"/>). The default.</summary>
    ChildProcess,

    /// <summary>The engine inside the operator's process (no isolation: for tests and development only).</summary>
    InProcess,

    /// <summary>A locked-down Kubernetes Job in <see cref="AuditRunOptions.ScanJobNamespace"/> (no network: a deny-all
    /// NetworkPolicy; no service-account token; non-root, read-only root; CPU and memory limits; activeDeadlineSeconds), working
    /// in the run's folder on the ReadWriteMany claim <see cref="AuditRunOptions.ScanJobClaimName"/>, which the operator mounts at
    /// <see cref="AuditRunOptions.ScanJobMountPath"/>. The cluster's choice.</summary>
    KubernetesJob,
}

/// <summary>Settings of the AuditRun controller (configuration section <c>AuditRun</c>, e.g. <c>OPENKBS_AuditRun__AdvisoriesDirectory=/advisories</c>).</summary>
public sealed class AuditRunOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "AuditRun";

    /// <summary>A directory of OSV JSON advisories for the dependencies check; none: that check is incomplete and the run fails closed.</summary>
    public string? AdvisoriesDirectory { get; set; }

    /// <summary>The whole scan of one artifact, intake included.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Re-check while the Project, its ClientAccount or its bucket are not there yet (a Project change wakes the run at once anyway).</summary>
    public TimeSpan WaitForProject { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after its creation an AuditRun waits for a Project that does not exist before it ends terminally.</summary>
    public TimeSpan ProjectGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Workers of this controller (a scan is CPU-bound: keep it low).</summary>
    public int? MaxConcurrentReconciles { get; set; } = 1;

    /// <summary>Where the scan runs: ChildProcess (default), KubernetesJob (in a cluster) or InProcess.</summary>
    public ScanIsolation Isolation { get; set; } = ScanIsolation.ChildProcess;

    /// <summary>The <c>openkbs</c> program the child runs: an apphost, or a <c>.dll</c> run with <c>dotnet</c>. Absent: the running
    /// operator's own program; a host that is not <c>openkbs</c> (a test) must name it or run InProcess, else every scan fails closed.</summary>
    public string? ScanCommand { get; set; }

    /// <summary>The managed heap of one scan (DOTNET_GCHeapHardLimit), in MiB.</summary>
    public int ScanMemoryLimitMiB { get; set; } = 1024;

    /// <summary>The child runs in an empty network namespace (<c>unshare --map-root-user --net</c>; needs unprivileged user
    /// namespaces). When the kernel refuses, scans fail closed; set false only where that is impossible (the network stays open).</summary>
    public bool ScanWithoutNetwork { get; set; } = true;

    /// <summary>KubernetesJob: the namespace the scan Jobs run in (the operator's own; the claim lives there).</summary>
    public string? ScanJobNamespace { get; set; }

    /// <summary>KubernetesJob: the image of the scan pod (the operator's own image: its entrypoint is <c>openkbs</c>).</summary>
    public string? ScanJobImage { get; set; }

    /// <summary>KubernetesJob: the ReadWriteMany PersistentVolumeClaim the operator and the scan pods share (EFS on EKS).</summary>
    public string? ScanJobClaimName { get; set; }

    /// <summary>KubernetesJob: where the operator pod mounts the claim's root.</summary>
    public string? ScanJobMountPath { get; set; }

    /// <summary>KubernetesJob: how often the Job's status is read while the scan runs.</summary>
    public TimeSpan ScanJobPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>KubernetesJob: the scan container's CPU limit (a Kubernetes quantity).</summary>
    public string ScanJobCpuLimit { get; set; } = "1";

    /// <summary>What is wrong with these settings (empty when nothing is).</summary>
    public IEnumerable<string> Failures() => Shared.OptionsRules.Check(
        SectionName,
        [(nameof(TimeLimit), TimeLimit), (nameof(WaitForProject), WaitForProject), (nameof(ProjectGrace), ProjectGrace), (nameof(ScanJobPollInterval), ScanJobPollInterval)],
        [(nameof(MaxConcurrentReconciles), MaxConcurrentReconciles), (nameof(ScanMemoryLimitMiB), ScanMemoryLimitMiB)])
        .Concat(Isolation != ScanIsolation.KubernetesJob ? [] : new (string Name, string? Value)[]
            {
                (nameof(ScanJobNamespace), ScanJobNamespace), (nameof(ScanJobImage), ScanJobImage), (nameof(ScanJobClaimName), ScanJobClaimName), (nameof(ScanJobMountPath), ScanJobMountPath),
            }
            .Where(s => string.IsNullOrWhiteSpace(s.Value))
            .Select(s => $"{SectionName}:{s.Name} is required when {SectionName}:{nameof(Isolation)} is {nameof(ScanIsolation.KubernetesJob)}"));

    /// <summary>The running program when it is <c>openkbs</c> (its apphost, or the openkbs.dll <c>dotnet</c> runs), else null.</summary>
    public static string? OwnProgram()
    {
        var entry = System.Reflection.Assembly.GetEntryAssembly();
        if (!string.Equals(entry?.GetName().Name, "openkbs", StringComparison.Ordinal))
        {
            return null;
        }

        var process = Environment.ProcessPath;
        return process is not null && string.Equals(Path.GetFileNameWithoutExtension(process), "openkbs", StringComparison.Ordinal) ? process : entry!.Location;
    }
}
