using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Isolation;

/// <summary>How to start <c>openkbs</c> for a child-process scan.</summary>
public sealed record ChildProcessOptions
{
    /// <summary>The program: the openkbs apphost, or "dotnet" with openkbs.dll as the first of <see cref="PrefixArguments"/>.</summary>
    public required string FileName { get; init; }

    public IReadOnlyList<string> PrefixArguments { get; init; } = [];

    /// <summary>Run the child in its own empty network namespace (<c>unshare --map-root-user --net</c>, which needs unprivileged user
    /// namespaces, not root). When the kernel refuses, the child does not start and the scan fails closed.</summary>
    public bool NoNetwork { get; init; } = true;

    /// <summary>Over the scan's own <c>--timeout</c>, so the child can report its time-out itself before it is killed.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The environment the few pass-through variables are taken from (default: this process's).</summary>
    public IReadOnlyDictionary<string, string>? ParentEnvironment { get; init; }

    /// <summary>Where the per-run folder is made (default: the system temp folder).</summary>
    public string? WorkRoot { get; init; }
}

/// <summary>
/// Runs the scan as a child process: in a fresh folder that holds a copy of the artifact (the child sees nothing else
/// of ours), with an environment built from nothing (no AWS_*, KUBECONFIG, tokens or proxy variables; HOME and TMPDIR
/// inside the folder), the managed heap capped by DOTNET_GCHeapHardLimit, no network (its own network namespace with
/// only a down loopback), and the process tree killed at the time limit. The folder is deleted afterwards.
/// </summary>
public sealed class ChildProcessScanIsolation(ChildProcessOptions options) : IScanIsolation
{
    private const int OutputCap = 64 * 1024;

    /// <summary>Environment variables passed through from ours, because the runtime needs them to start.</summary>
    private static readonly string[] PassThrough = ["PATH", "DOTNET_ROOT", "LANG"];

    public async Task<IsolatedScanResult> ScanAsync(IsolatedScanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var root = options.WorkRoot ?? Path.GetTempPath();
        var path = Path.Combine(root, $"openkbs-scan-{request.Name}-{Guid.NewGuid():N}");
        var work = (OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)).FullName;
        try
        {
            var artifact = Path.Combine(work, "artifact" + Extension(request.Artifact));
            if (Directory.Exists(request.Artifact))
            {
                throw new ArgumentException("a child-process scan takes an archive file, not a directory", nameof(request));
            }

            File.Copy(request.Artifact, artifact);
            if (request.InfrastructureJson is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(work, "infrastructure.json"), request.InfrastructureJson, cancellationToken).ConfigureAwait(false);
            }

            if (request.SuppressionsJson is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(work, "suppressions.json"), request.SuppressionsJson, cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(Path.Combine(work, "reports"));
            Directory.CreateDirectory(Path.Combine(work, "home"));
            var start = BuildStartInfo(request, work, artifact);
            var result = await RunAsync(start, request.TimeLimit + options.Grace, work, cancellationToken).ConfigureAwait(false);
            return result with { Isolation = Describe(request) };
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A child that is still being reaped may hold a file; the temp folder is cleaned by the system.
            }
        }
    }

    /// <summary>The child's command line and environment (public for tests: what the child may see is the point).</summary>
    public ProcessStartInfo BuildStartInfo(IsolatedScanRequest request, string work, string artifact)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = work,
        };
        var arguments = new List<string>();
        if (options.NoNetwork)
        {
            start.FileName = "unshare";
            arguments.AddRange(["--map-root-user", "--net", "--", options.FileName]);
        }
        else
        {
            start.FileName = options.FileName;
        }

        arguments.AddRange(options.PrefixArguments);
        arguments.AddRange(ScanArguments(request, artifact, Path.Combine(work, "reports"), request.SuppressionsJson is null ? null : Path.Combine(work, "suppressions.json"),
            request.InfrastructureJson is null ? null : Path.Combine(work, "infrastructure.json")));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in PassThrough)
        {
            var value = options.ParentEnvironment is { } parent ? parent.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["HOME"] = Path.Combine(work, "home");
        start.Environment["TMPDIR"] = work;
        start.Environment["DOTNET_GCHeapHardLimit"] = request.MemoryLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    /// <summary>The <c>audit scan</c> arguments for a request, shared with the Job builder.</summary>
    public static IReadOnlyList<string> ScanArguments(IsolatedScanRequest request, string artifact, string reports, string? suppressions, string? infrastructure = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = new List<string> { "audit", "scan", artifact };
        if (request.ExpectedSha256 is { } sha)
        {
            arguments.AddRange(["--sha256", sha]);
        }

        if (request.Checks.Count > 0)
        {
            arguments.AddRange(["--checks", string.Join(',', request.Checks)]);
        }

        arguments.AddRange(["--fail-on", request.FailOn switch { Severity.Critical => "critical", Severity.Medium => "medium", _ => "high" }]);
        if (request.AllowIncomplete)
        {
            arguments.Add("--allow-incomplete");
        }

        if (request.AdvisoriesDirectory is { } advisories)
        {
            arguments.AddRange(["--advisories", advisories]);
        }

        if (suppressions is not null)
        {
            arguments.AddRange(["--suppressions", suppressions]);
        }

        if (infrastructure is not null)
        {
            arguments.AddRange(["--infrastructure", infrastructure]);
        }

        if (request.Subject is { } subject)
        {
            arguments.AddRange(["--subject", subject]);
        }

        if (request.Source is { } source)
        {
            arguments.AddRange(["--source", source]);
        }

        arguments.AddRange(["--sarif", reports + "/audit.sarif", "--markdown", reports + "/audit.md", "--json", reports + "/audit.json"]);
        arguments.AddRange(["--timeout", ((int)Math.Ceiling(request.TimeLimit.TotalSeconds)).ToString(CultureInfo.InvariantCulture)]);
        return arguments;
    }

    private string Describe(IsolatedScanRequest request) =>
        $"child process{(options.NoNetwork ? " in its own network namespace (no network)" : " (network not isolated)")}, clean environment, "
        + $"heap limit {request.MemoryLimitBytes / (1024 * 1024)} MiB, killed after {request.TimeLimit.TotalSeconds + options.Grace.TotalSeconds:0} s";

    private static async Task<IsolatedScanResult> RunAsync(ProcessStartInfo start, TimeSpan limit, string work, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A little grace over the scan's own --timeout, so the child can report its own time-out first.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        process.WaitForExit(); // drains the asynchronous output readers
        var stderr = error.ToString();
        var reports = Path.Combine(work, "reports");
        return new IsolatedScanResult
        {
            ExitCode = process.ExitCode,
            TimedOut = timedOut,
            OutOfMemory = stderr.Contains("OutOfMemoryException", StringComparison.Ordinal) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase),
            Sarif = ReadIfExists(Path.Combine(reports, "audit.sarif")),
            Markdown = ReadIfExists(Path.Combine(reports, "audit.md")),
            Json = ReadIfExists(Path.Combine(reports, "audit.json")),
            Output = output.ToString(),
            Error = stderr,
        };
    }

    private static byte[]? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            if (builder.Length < OutputCap)
            {
                builder.Append(line.Length > OutputCap ? line[..OutputCap] : line).Append('\n');
            }
        }
    }

    private static string Extension(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) ? ".tar.gz"
        : path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? ".tgz"
        : ".zip";
}
