using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Infrastructure;
using OpenKbs.Audit.Intake;

namespace OpenKbs.Audit.Engine;

/// <summary>
/// One audit run, the same for the command line and the AuditRun controller: intake (digest first, safe extraction)
/// -> the chosen checks, each bounded by the run's time limit -> suppressions -> verdict. Manifest notes (minified,
/// bundled, source maps) become info findings of the <c>artifact</c> check. A check that does not complete (no
/// advisory source, an exception, the time limit) is recorded as such and fails the run unless the policy allows
/// incomplete runs. The report writers in <c>Reports/</c> turn the <see cref="AuditResult"/> into SARIF, Markdown and JSON.
/// </summary>
public sealed class AuditEngine
{
    public const string ArtifactCheck = "artifact";

    private readonly IReadOnlyList<IAnalyzer> _analyzers;
    private readonly ArtifactIntake _intake;
    private readonly TimeProvider _time;

    public AuditEngine(IEnumerable<IAnalyzer> analyzers, ArtifactIntake? intake = null, TimeProvider? time = null)
    {
        _analyzers = [.. analyzers];
        var duplicate = _analyzers.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two analyzers are named {duplicate.Key}", nameof(analyzers));
        }

        _intake = intake ?? new ArtifactIntake();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The names of the checks this engine can run, in order: its analyzers, and <c>infrastructure</c>, which runs when a request
    /// carries a snapshot of the live configuration (<see cref="AuditRequest.Infrastructure"/>).
    /// </summary>
    public IReadOnlyList<string> AvailableChecks =>
        [.. _analyzers.Select(a => a.Name).Append(InfrastructureAnalyzer.AnalyzerName).Distinct(StringComparer.Ordinal)];

    /// <summary>This build's version, as reports name the tool.</summary>
    public static string ToolVersion =>
        typeof(AuditEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Every analyzer of this assembly: the ones with a parameterless constructor (found by type, so a new check such
    /// as <c>code</c> joins by implementing <see cref="IAnalyzer"/>) and <see cref="DependenciesAnalyzer"/> on
    /// <paramref name="advisories"/>.
    /// </summary>
    public static IReadOnlyList<IAnalyzer> DefaultAnalyzers(IAdvisorySource? advisories)
    {
        var discovered = typeof(AuditEngine).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IAnalyzer)Activator.CreateInstance(t)!);
        return [.. discovered.Append(new DependenciesAnalyzer(advisories)).OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The checks a request selects; unknown names are a usage error naming the available ones. <c>infrastructure</c> runs on
    /// <paramref name="infrastructure"/>: with no checks named it joins when a snapshot is given and is left out otherwise;
    /// named without a snapshot it is a usage error (there is nothing to check).
    /// </summary>
    public IReadOnlyList<IAnalyzer> Select(IReadOnlyList<string>? checks, InfrastructureSnapshot? infrastructure = null)
    {
        var analyzers = _analyzers.Any(a => a.Name == InfrastructureAnalyzer.AnalyzerName) || infrastructure is null
            ? _analyzers
            : [.. _analyzers.Append(new InfrastructureAnalyzer(infrastructure)).OrderBy(a => a.Name, StringComparer.Ordinal)];
        if (checks is null || checks.Count == 0)
        {
            return analyzers;
        }

        var unknown = checks.Where(c => !AvailableChecks.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown check(s) {string.Join(", ", unknown)}; available: {string.Join(", ", AvailableChecks)}");
        }

        if (checks.Contains(InfrastructureAnalyzer.AnalyzerName, StringComparer.Ordinal) && !analyzers.Any(a => a.Name == InfrastructureAnalyzer.AnalyzerName))
        {
            throw new ArgumentException("the infrastructure check reads a snapshot of the project's live AWS configuration and none was given "
                + "(openkbs audit scan --infrastructure FILE; the AuditRun controller reads it from the project's account)");
        }

        return [.. analyzers.Where(a => checks.Contains(a.Name, StringComparer.Ordinal))];
    }

    /// <exception cref="ArtifactRejectedException">the artifact is missing, has another digest, or is unsafe or corrupt.</exception>
    /// <exception cref="AuditTimeoutException">the time limit passed during intake.</exception>
    /// <exception cref="ArgumentException">unknown checks.</exception>
    /// <exception cref="FormatException">an unusable suppression in the policy.</exception>
    public async Task<AuditResult> RunAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Policy.Validate();
        var selected = Select(request.Checks, request.Infrastructure);
        var started = _time.GetUtcNow();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(request.TimeLimit);

        ArtifactContents artifact;
        try
        {
            artifact = request.ArtifactPath is { } path
                ? await Task.Run(() => _intake.ReadAsync(path, request.ExpectedSha256, limit.Token), limit.Token).WaitAsync(limit.Token).ConfigureAwait(false)
                : await Task.Run(() => _intake.ReadArchive(request.ArtifactBytes ?? throw new ArgumentException("an audit needs an artifact path or bytes"), request.ExpectedSha256, limit.Token), limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuditTimeoutException($"the audit exceeded its time limit of {request.TimeLimit} while reading the artifact");
        }

        var findings = new List<Finding>(NoteFindings(artifact.Manifest));
        var checks = new List<CheckRun>
        {
            new(ArtifactCheck, CheckStatus.Completed, TimeSpan.Zero, findings.Count, $"{artifact.Manifest.FileCount} files, {artifact.Manifest.TotalBytes} bytes ({artifact.Manifest.Format})", null),
        };
        foreach (var analyzer in selected)
        {
            var clock = Stopwatch.StartNew();
            if (limit.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                checks.Add(new CheckRun(analyzer.Name, CheckStatus.TimedOut, TimeSpan.Zero, 0, $"not started: the run's time limit of {request.TimeLimit} had passed", null));
                continue;
            }

            try
            {
                // Task.Run + WaitAsync: an analyzer that ignores its token still cannot hold the run past the limit.
                var found = await Task.Run(() => analyzer.AnalyzeAsync(artifact, limit.Token), limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
                findings.AddRange(found);
                checks.Add(new CheckRun(analyzer.Name, CheckStatus.Completed, clock.Elapsed, found.Count, null, Provenance(analyzer)));
            }
            catch (AnalyzerIncompleteException ex)
            {
                findings.AddRange(ex.PartialFindings);
                checks.Add(new CheckRun(analyzer.Name, CheckStatus.Incomplete, clock.Elapsed, ex.PartialFindings.Count, ex.Message, Provenance(analyzer)));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                checks.Add(new CheckRun(analyzer.Name, CheckStatus.TimedOut, clock.Elapsed, 0, $"stopped by the run's time limit of {request.TimeLimit}", Provenance(analyzer)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                checks.Add(new CheckRun(analyzer.Name, CheckStatus.Failed, clock.Elapsed, 0, $"{ex.GetType().Name}: {ex.Message}", Provenance(analyzer)));
            }
        }

        var incomplete = checks.Where(c => c.Status != CheckStatus.Completed).Select(c => $"{c.Name} {c.Status.ToString().ToLowerInvariant()}: {c.Message}").ToList();
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var gate = GatePolicy.Evaluate(findings, incomplete, request.Policy, today);
        return new AuditResult
        {
            ToolVersion = ToolVersion,
            Artifact = new ArtifactSummary(request.Subject ?? request.ArtifactPath ?? "artifact", artifact.Sha256, artifact.Manifest.Format, artifact.Manifest.FileCount, artifact.Manifest.TotalBytes, artifact.Manifest.Notes, request.Source),
            StartedAt = started,
            FinishedAt = _time.GetUtcNow(),
            Checks = checks,
            Gate = gate,
            Policy = request.Policy,
        };
    }

    private static string? Provenance(IAnalyzer analyzer) => (analyzer as IAnalyzerProvenance)?.Provenance;

    private static IEnumerable<Finding> NoteFindings(ArtifactManifest manifest) =>
        manifest.Notes.Select(note =>
        {
            var (rule, title, impact) = note.Kind switch
            {
                ArtifactFileKind.Minified => ("artifact/minified-file", "Minified JavaScript", "Findings in minified code point at long lines; read them with the source map or audit the unminified build."),
                ArtifactFileKind.Bundled => ("artifact/bundled-file", "Bundled JavaScript", "A bundle inlines its dependencies: the dependency audit cannot see their versions, and code findings may lie in third-party code."),
                _ => ("artifact/source-map", "Source map shipped", "A source map in a deployment package exposes the original source (names, comments, often the full text) to whoever can read the package."),
            };
            return new Finding
            {
                Analyzer = ArtifactCheck,
                RuleId = rule,
                Severity = Severity.Info,
                Title = title,
                Message = $"{note.Path}: {note.Reason}.",
                Location = new SourceLocation(note.Path, 1),
                Evidence = note.Reason,
                Impact = impact,
                Remediation = note.Kind == ArtifactFileKind.SourceMap
                    ? "Leave source maps out of the deployment package (or upload them only to your error tracker)."
                    : "Keep the unminified sources and source maps with the build so findings can be traced; audit them when possible.",
                Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{rule}\n{note.Path}"))),
            };
        });
}
