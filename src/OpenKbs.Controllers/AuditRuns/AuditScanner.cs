using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Isolation;
using OpenKbs.Audit.Reports;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>The three reports of one scan, rendered (by the engine in process, or read back from an isolated scan).</summary>
internal sealed record ScanReports(RenderedReport Markdown, RenderedReport Sarif, RenderedReport Json)
{
    public static ScanReports Of(AuditResult result) => new(MarkdownReport.Render(result), SarifReport.Render(result), JsonReport.Render(result));
}

/// <summary>Runs one audit of an artifact already fetched and verified: the seam between the controller and where the scan runs.</summary>
internal interface IAuditScanner
{
    /// <summary>The checks this scanner can run (e.g. code, dependencies, secrets).</summary>
    IReadOnlyList<string> AvailableChecks { get; }

    /// <exception cref="ArtifactRejectedException">the artifact is unsafe, corrupt or has another digest.</exception>
    /// <exception cref="AuditTimeoutException">the run's time limit passed.</exception>
    /// <exception cref="IsolatedScanFailedException">an isolated scan ended without reports (memory limit, crash).</exception>
    /// <param name="request">What to scan, how.</param>
    /// <param name="runName">Names the run (unique per AuditRun: its namespace, name and uid): the scan Job's name, so a later pass finds it.</param>
    /// <param name="cancellationToken">Cancels the wait (a Job goes on and a later pass finds it).</param>
    Task<ScanReports> ScanAsync(AuditRequest request, string runName, CancellationToken cancellationToken);
}

/// <summary>An isolated scan ended without a verdict: out of memory, killed, or a crash of the child. The run fails closed.</summary>
internal sealed class IsolatedScanFailedException(string message) : Exception(message);

/// <summary>The audit engine in the operator's process, with the advisories of <see cref="AuditRunOptions.AdvisoriesDirectory"/>.</summary>
internal sealed class InProcessAuditScanner(AuditRunOptions options, TimeProvider clock) : IAuditScanner
{
    private readonly AuditEngine _engine = new(
        AuditEngine.DefaultAnalyzers(options.AdvisoriesDirectory is { } directory ? new DirectoryAdvisorySource(directory) : null), time: clock);

    public IReadOnlyList<string> AvailableChecks => _engine.AvailableChecks;

    public async Task<ScanReports> ScanAsync(AuditRequest request, string runName, CancellationToken cancellationToken) =>
        ScanReports.Of(await _engine.RunAsync(request, cancellationToken));
}

/// <summary>
/// The audit engine away from the operator (<see cref="IScanIsolation"/>: a limited child process, or a Kubernetes Job): the verified bytes
/// are written to a private file, the scan runs as <c>openkbs audit scan</c> with the run's checks, policy, suppressions and
/// live-configuration snapshot, and its reports are read back. A time-out, the memory limit or a crash fails the run closed.
/// </summary>
internal sealed class IsolatedAuditScanner(IScanIsolation isolation, AuditRunOptions options) : IAuditScanner
{
    private static readonly JsonSerializerOptions SuppressionJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IReadOnlyList<string> _checks = new AuditEngine(AuditEngine.DefaultAnalyzers(null)).AvailableChecks;

    public IReadOnlyList<string> AvailableChecks => _checks;

    public async Task<ScanReports> ScanAsync(AuditRequest request, string runName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bytes = request.ArtifactBytes ?? throw new ArgumentException("an isolated scan takes the artifact's bytes", nameof(request));
        var folder = Directory.CreateTempSubdirectory("openkbs-artifact-"); // owner-only (0700) on Unix
        var artifact = Path.Combine(folder.FullName, "artifact.zip");
        await using (var file = new FileStream(artifact, FileMode.CreateNew, FileAccess.Write))
        {
            await file.WriteAsync(bytes, cancellationToken);
        }

        IsolatedScanResult result;
        try
        {
            result = await isolation.ScanAsync(new IsolatedScanRequest
            {
                Name = runName,
                Artifact = artifact,
                Subject = request.Subject,
                Source = request.Source,
                ExpectedSha256 = request.ExpectedSha256,
                Checks = request.Checks ?? [],
                FailOn = request.Policy.FailOn,
                AllowIncomplete = request.Policy.AllowIncomplete,
                SuppressionsJson = request.Policy.Suppressions.Count == 0 ? null : JsonSerializer.Serialize(new { suppressions = request.Policy.Suppressions }, SuppressionJson),
                InfrastructureJson = request.Infrastructure?.ToJson(),
                AdvisoriesDirectory = options.AdvisoriesDirectory,
                TimeLimit = request.TimeLimit,
                MemoryLimitBytes = options.ScanMemoryLimitMiB * 1024L * 1024,
            }, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new IsolatedScanFailedException($"the isolated scan could not start ({ex.Message}); set AuditRun:ScanCommand to the openkbs program");
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        if (result.TimedOut)
        {
            throw new AuditTimeoutException($"the scan did not finish within {request.TimeLimit.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s and was killed ({result.Isolation}); nothing of it is trusted");
        }

        if (result.OutOfMemory)
        {
            throw new IsolatedScanFailedException($"the scan ran out of its memory limit ({options.ScanMemoryLimitMiB} MiB) and ended without a verdict ({result.Isolation})");
        }

        if (result.ExitCode == 2 && Rejection(result.Error) is { } rejected)
        {
            throw rejected;
        }

        if (result.Verdict is null || result.Markdown is null || result.Sarif is null || result.Json is null)
        {
            throw new IsolatedScanFailedException($"the isolated scan ended with exit code {result.ExitCode} and no complete reports ({result.Isolation}): {Tail(result.Error)}");
        }

        return new ScanReports(
            new RenderedReport("markdown", "text/markdown; charset=utf-8", result.Markdown),
            new RenderedReport("sarif", "application/sarif+json", result.Sarif),
            new RenderedReport("json", "application/json", result.Json));
    }

    /// <summary>"openkbs audit scan: MESSAGE (Reason)" from the child, as the intake's typed refusal.</summary>
    private static ArtifactRejectedException? Rejection(string error)
    {
        const string Prefix = "openkbs audit scan: ";
        var line = error.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal) && l.EndsWith(')'));
        if (line is null)
        {
            return null;
        }

        var open = line.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 && Enum.TryParse<ArtifactRejection>(line[(open + 2)..^1], out var reason)
            ? new ArtifactRejectedException(reason, line[Prefix.Length..open])
            : null;
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 500 ? trimmed : "…" + trimmed[^500..];
    }
}
