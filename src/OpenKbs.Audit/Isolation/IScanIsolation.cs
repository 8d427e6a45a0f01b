using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;

namespace OpenKbs.Audit.Isolation;

/// <summary>
/// Runs <c>openkbs audit scan</c> on untrusted code away from the operator: with a hard time and memory limit, no
/// network, and no credentials. In the sandbox (no pods) that is <see cref="ChildProcessScanIsolation"/>; in a cluster
/// <see cref="KubernetesJobScanIsolation"/>, a locked-down Job.
/// </summary>
public interface IScanIsolation
{
    Task<IsolatedScanResult> ScanAsync(IsolatedScanRequest request, CancellationToken cancellationToken);
}

/// <summary>One isolated scan: the artifact (a local file for a child process, a file name in the artifact volume for a Job) and the scan's options.</summary>
public sealed record IsolatedScanRequest
{
    /// <summary>A name for the run (AuditRun name): Job name, temp folder prefix. Lower-case letters, digits and '-'.</summary>
    public required string Name { get; init; }

    public required string Artifact { get; init; }

    /// <summary>The name the reports give the artifact (<c>--subject</c>; the AuditRun's project and version), since the scan sees only a private copy.</summary>
    public string? Subject { get; init; }

    /// <summary>Where the artifact came from (<c>--source</c>, e.g. <c>s3://bucket/key</c>), named in the reports.</summary>
    public string? Source { get; init; }

    public string? ExpectedSha256 { get; init; }

    public IReadOnlyList<string> Checks { get; init; } = [];

    public Severity FailOn { get; init; } = Severity.High;

    public bool AllowIncomplete { get; init; }

    /// <summary>Suppressions as the JSON file <c>--suppressions</c> reads (null: none).</summary>
    public string? SuppressionsJson { get; init; }

    /// <summary>The project's live configuration for the infrastructure check (the JSON <c>--infrastructure</c> reads; null: none).</summary>
    public string? InfrastructureJson { get; init; }

    /// <summary>The OSV advisory directory the scan may read (a local directory, or the mount path in a Job).</summary>
    public string? AdvisoriesDirectory { get; init; }

    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The scan's managed heap limit (DOTNET_GCHeapHardLimit); the container limit adds room for the runtime.</summary>
    public long MemoryLimitBytes { get; init; } = 1024L * 1024 * 1024;
}

/// <summary>
/// How an isolated scan ended: the exit code of <c>openkbs audit scan</c> (0 passed, 1 failed, 2 input error), the
/// reports it wrote, its output (cut to 64 KiB), and whether the time limit or the memory limit ended it.
/// </summary>
public sealed record IsolatedScanResult
{
    public required int ExitCode { get; init; }

    public bool TimedOut { get; init; }

    public bool OutOfMemory { get; init; }

    public Verdict? Verdict => ExitCode switch
    {
        0 when !TimedOut => Gate.Verdict.Passed,
        1 when !TimedOut => Gate.Verdict.Failed,
        _ => null,
    };

    public byte[]? Sarif { get; init; }

    public byte[]? Markdown { get; init; }

    public byte[]? Json { get; init; }

    public string Output { get; init; } = string.Empty;

    public string Error { get; init; } = string.Empty;

    /// <summary>How the scan was isolated, for the run's message (e.g. "child process, no network, heap 1024 MiB").</summary>
    public string Isolation { get; init; } = string.Empty;
}
