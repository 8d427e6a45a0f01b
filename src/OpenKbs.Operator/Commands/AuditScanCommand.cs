using System.CommandLine;
using System.CommandLine.Invocation;
using OpenKbs.Audit;
using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Infrastructure;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Reports;

namespace OpenKbs.Operator.Commands;

/// <summary>What `openkbs audit scan` was asked to do.</summary>
internal sealed record AuditScanSettings
{
    public required string Path { get; init; }

    public IReadOnlyList<string> Checks { get; init; } = [];

    public string? AdvisoriesDirectory { get; init; }

    public Uri? OsvUrl { get; init; }

    public Severity FailOn { get; init; } = Severity.High;

    public bool AllowIncomplete { get; init; }

    public string? SuppressionsFile { get; init; }

    /// <summary>A snapshot of the project's live AWS configuration (JSON, <see cref="InfrastructureSnapshot"/>) for the infrastructure check.</summary>
    public string? InfrastructureFile { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>The name the reports give the artifact (default: the file or folder name).</summary>
    public string? Subject { get; init; }

    /// <summary>Where the artifact came from (e.g. s3://bucket/key), named in the reports.</summary>
    public string? Source { get; init; }

    public string? SarifFile { get; init; }

    public string? MarkdownFile { get; init; }

    public string? JsonFile { get; init; }

    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// `openkbs audit scan PATH|ZIP`: the audit engine the AuditRun controller uses, for pipelines and people. Exit code
/// 0 when the run passes, 1 when it fails (findings at or above --fail-on, or a check that could not complete), 2 for
/// a usage or input error (bad options, an artifact that is missing, refused or has another digest).
/// </summary>
internal static class AuditScanCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        var path = new Argument<string>("PATH|ZIP") { Description = "The artifact: a .zip, a .tar.gz or a directory." };
        var checks = new Option<string?>("--checks") { Description = "Checks to run, comma-separated (code, secrets, dependencies, infrastructure); default: all available (infrastructure only with --infrastructure)." };
        var advisories = new Option<string?>("--advisories") { Description = "Directory of OSV advisory JSON files for the dependencies check." };
        var osvUrl = new Option<string?>("--osv-url") { Description = "OSV API endpoint (e.g. https://api.osv.dev/), tried before --advisories when both are given." };
        var failOn = new Option<string>("--fail-on") { Description = "Lowest severity that fails the run: critical, high or medium.", DefaultValueFactory = _ => "high" };
        var allowIncomplete = new Option<bool>("--allow-incomplete") { Description = "Let a run pass although a check could not complete (e.g. no advisory source); by default it fails." };
        var suppressions = new Option<string?>("--suppressions") { Description = "JSON file of accepted findings, each with a reason and an expiry date (see docs/audit.md)." };
        var infrastructure = new Option<string?>("--infrastructure") { Description = "JSON snapshot of the project's live AWS configuration (openkbs.infrastructure/v1, as an AuditRun's collector writes it) for the infrastructure check; without it that check does not run (this command reads no AWS)." };
        var sha256 = new Option<string?>("--sha256") { Description = "The SHA-256 the artifact must have; checked before anything is read." };
        var subject = new Option<string?>("--subject") { Description = "The name the reports give the artifact (default: the file or folder name), e.g. namespace/project@version." };
        var source = new Option<string?>("--source") { Description = "Where the artifact came from (e.g. s3://bucket/key), named in the reports next to its SHA-256." };
        var sarif = new Option<string?>("--sarif") { Description = "Write the SARIF 2.1.0 report to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the Markdown report to this file." };
        var json = new Option<string?>("--json") { Description = "Write the JSON report to this file." };
        var timeout = new Option<int>("--timeout") { Description = "Time limit of the whole run, in seconds.", DefaultValueFactory = _ => 600 };
        var command = new Command("scan", "Audit an artifact (zip, tar.gz or directory): code, secrets and dependencies, and with --infrastructure FILE a snapshot of the live AWS configuration; write SARIF, Markdown and JSON reports. "
            + "Exit 0 passed, 1 failed (findings at or above --fail-on, or an incomplete check), 2 usage or input error.")
        {
            path, checks, advisories, osvUrl, failOn, allowIncomplete, suppressions, infrastructure, sha256, subject, source, sarif, markdown, json, timeout,
        };
        // Unmatched tokens are reported by ScanAction (exit 2); System.CommandLine's own error path would exit 1.
        command.TreatUnmatchedTokensAsErrors = false;
        command.Action = new ScanAction(parse =>
        {
            var failOnValue = AuditPolicy.ParseFailOn(parse.GetValue(failOn)!);
            var seconds = parse.GetValue(timeout);
            if (seconds <= 0)
            {
                throw new FormatException("--timeout must be a positive number of seconds");
            }

            Uri? osv = null;
            if (parse.GetValue(osvUrl) is { } url && !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out osv))
            {
                throw new FormatException($"--osv-url '{url}' is not an absolute URL");
            }

            return new AuditScanSettings
            {
                Path = parse.GetValue(path)!,
                Checks = (parse.GetValue(checks) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                AdvisoriesDirectory = parse.GetValue(advisories),
                OsvUrl = osv,
                FailOn = failOnValue,
                AllowIncomplete = parse.GetValue(allowIncomplete),
                SuppressionsFile = parse.GetValue(suppressions),
                InfrastructureFile = parse.GetValue(infrastructure),
                Sha256 = parse.GetValue(sha256),
                Subject = parse.GetValue(subject),
                Source = parse.GetValue(source),
                SarifFile = parse.GetValue(sarif),
                MarkdownFile = parse.GetValue(markdown),
                JsonFile = parse.GetValue(json),
                TimeLimit = TimeSpan.FromSeconds(seconds),
            };
        });
        return command;
    }

    public static async Task<int> RunAsync(AuditScanSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(60) };
        var sources = new List<IAdvisorySource>();
        if (settings.OsvUrl is { } url)
        {
            sources.Add(new OsvApiAdvisorySource(http, url));
        }

        if (settings.AdvisoriesDirectory is { } directory)
        {
            sources.Add(new DirectoryAdvisorySource(directory));
        }

        AuditResult result;
        try
        {
            var suppressions = settings.SuppressionsFile is { } file ? AuditPolicy.ReadSuppressions(await File.ReadAllTextAsync(file, cancellationToken)) : [];
            var policy = new AuditPolicy { FailOn = settings.FailOn, AllowIncomplete = settings.AllowIncomplete, Suppressions = suppressions };
            var snapshot = settings.InfrastructureFile is { } snapshotFile ? InfrastructureSnapshot.Parse(await File.ReadAllTextAsync(snapshotFile, cancellationToken)) : null;
            var engine = new AuditEngine(AuditEngine.DefaultAnalyzers(sources.Count switch { 0 => null, 1 => sources[0], _ => new FirstReachableAdvisorySource([.. sources]) }));
            result = await engine.RunAsync(
                new AuditRequest
                {
                    ArtifactPath = settings.Path,
                    Subject = settings.Subject ?? System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(settings.Path)),
                    Source = settings.Source,
                    ExpectedSha256 = settings.Sha256,
                    Checks = settings.Checks,
                    Infrastructure = snapshot,
                    Policy = policy,
                    TimeLimit = settings.TimeLimit,
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is ArtifactRejectedException or AuditTimeoutException or FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            var reason = ex is ArtifactRejectedException rejected ? $" ({rejected.Reason})" : string.Empty;
            await error.WriteLineAsync($"openkbs audit scan: {ex.Message}{reason}");
            return UsageError;
        }

        await PrintAsync(result, output);
        try
        {
            foreach (var (target, report) in new[] { (settings.SarifFile, SarifReport.Render(result)), (settings.MarkdownFile, MarkdownReport.Render(result)), (settings.JsonFile, JsonReport.Render(result)) })
            {
                if (target is null)
                {
                    continue;
                }

                if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(target)) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                await File.WriteAllBytesAsync(target, report.Content, cancellationToken);
                await output.WriteLineAsync($"wrote {report.Format} report {target} (sha256 {report.Sha256})");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"openkbs audit scan: cannot write a report: {ex.Message}");
            return UsageError;
        }

        return result.Verdict == Verdict.Passed ? Passed : Failed;
    }

    private static async Task PrintAsync(AuditResult result, TextWriter output)
    {
        var a = result.Artifact;
        await output.WriteLineAsync($"audited {a.Subject}{(a.Source is null ? string.Empty : $" from {a.Source}")}: sha256 {a.Sha256}, {a.Format}, {a.FileCount} files, {a.TotalBytes} bytes");
        foreach (var check in result.Checks)
        {
            await output.WriteLineAsync($"  {check.Name,-13} {check.Status.ToString().ToLowerInvariant(),-10} {check.FindingCount} finding(s){(check.Message is null || check.Status == CheckStatus.Completed ? string.Empty : ": " + check.Message)}");
        }

        if (!result.Checks.Any(c => c.Name == InfrastructureAnalyzer.AnalyzerName))
        {
            await output.WriteLineAsync($"  {InfrastructureAnalyzer.AnalyzerName,-13} not run: it reads a snapshot of the live AWS configuration (--infrastructure FILE); this command reads no AWS");
        }

        var counts = string.Join(", ", Enum.GetValues<Severity>().OrderDescending().Select(s => $"{s.ToString().ToLowerInvariant()} {result.OpenCounts[s]}"));
        await output.WriteLineAsync($"open findings: {counts}; suppressed {result.Gate.Findings.Count(f => f.SuppressedBy is not null)}");
        foreach (var blocking in result.Gate.Blocking)
        {
            var f = blocking.Finding;
            await output.WriteLineAsync($"  [{f.Severity.ToString().ToUpperInvariant()}] {f.RuleId} at {GatePolicy.Where(f)}: {f.Message}");
        }

        foreach (var expired in result.Gate.Suppressions.Where(s => s.State == SuppressionState.Expired))
        {
            await output.WriteLineAsync($"  expired suppression: {expired.Suppression.Describe()} ({expired.Suppression.Reason})");
        }

        await output.WriteLineAsync(result.Verdict == Verdict.Passed ? "verdict: PASSED" : "verdict: FAILED");
        foreach (var reason in result.Gate.Reasons)
        {
            await output.WriteLineAsync($"  - {reason}");
        }
    }

    /// <summary>Runs the scan; parse errors (missing PATH, unknown options) are usage errors with exit code 2, not System.CommandLine's 1.</summary>
    private sealed class ScanAction(Func<ParseResult, AuditScanSettings> read) : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
            {
                foreach (var parseError in parseResult.Errors)
                {
                    await error.WriteLineAsync($"openkbs audit scan: {parseError.Message}");
                }

                foreach (var token in parseResult.UnmatchedTokens)
                {
                    await error.WriteLineAsync($"openkbs audit scan: unrecognized argument '{token}'");
                }

                return UsageError;
            }

            AuditScanSettings settings;
            try
            {
                settings = read(parseResult);
            }
            catch (FormatException ex)
            {
                await error.WriteLineAsync($"openkbs audit scan: {ex.Message}");
                return UsageError;
            }

            return await RunAsync(settings, parseResult.InvocationConfiguration.Output, error, cancellationToken);
        }
    }
}
