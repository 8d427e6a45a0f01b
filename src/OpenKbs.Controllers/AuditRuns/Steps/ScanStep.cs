using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Infrastructure;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Isolation;
using OpenKbs.Audit.Reports;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns.Steps;

/// <summary>
/// The scan: runs the audit engine (<see cref="IAuditScanner"/>) on the verified artifact, writes the three reports to the
/// project bucket under <see cref="ReportStore.Prefix"/> (client account session, SSE-KMS with the project key, audit-trail
/// recorded) and the summary ConfigMap, and sets the status (phase, counts, report location). Reports are keyed by digest and
/// policy: when the JSON report of the same digest, failOn and checks is already in the bucket (an earlier AuditRun, or this one
/// before a crash), its verdict and counts are taken and nothing is scanned again.
/// </summary>
internal sealed class ScanStep(IAuditScanner scanner, AuditRunOptions options) : IRecipeStep<AuditPass>
{
    /// <summary>The archive was refused by the intake (corrupt, unsafe, over a cap).</summary>
    public const string TerminalArtifactUnreadable = "TerminalArtifactUnreadable";

    /// <summary>The scan did not finish within <see cref="AuditRunOptions.TimeLimit"/>.</summary>
    public const string TerminalAuditTimeout = "TerminalAuditTimeout";

    /// <summary>An isolated scan ended without a verdict (its memory limit, a crash): the run fails closed.</summary>
    public const string TerminalAuditScanFailed = "TerminalAuditScanFailed";

    /// <summary>The shared scan volume of the Job path is not mounted or not writable in the operator: retried with backoff, not terminal.</summary>
    public const string WaitingForScanVolume = "WaitingForScanVolume";

    /// <summary>The longest wait between two looks at a missing scan volume.</summary>
    internal static readonly TimeSpan ScanVolumeWaitMax = TimeSpan.FromMinutes(5);

    public string Name => "scan";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(AuditPass pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var target = pass.Facts.Require<AuditTarget>();
        var artifact = pass.Facts.Require<VerifiedArtifact>();
        var sha = pass.Status.ArtifactSha256 ?? throw new InvalidOperationException("the scan step runs after the artifact step");
        var checks = (pass.Spec.Checks ?? [.. Enum.GetValues<AuditCheck>()]).Select(Wire).ToList();
        var unavailable = checks.Where(c => !scanner.AvailableChecks.Contains(c, StringComparer.Ordinal)).ToList();
        var run = checks.Except(unavailable, StringComparer.Ordinal).ToList();
        var (suppressions, problems) = AuditSuppressions.From(pass.Spec.Suppressions, pass.Created);
        if (problems.Count > 0)
        {
            return StepOutcome.Terminal(AuditSuppressions.TerminalInvalidSuppression, string.Join("; ", problems));
        }

        var infrastructure = run.Contains(InfrastructureAnalyzer.AnalyzerName, StringComparer.Ordinal) ? await LiveConfigurationAsync(pass, target, cancellationToken) : null;
        var prefix = ReportStore.PrefixFor(sha, pass.Spec.FailOn, run, infrastructure?.Sha256(), AuditSuppressions.Key(suppressions, DateOnly.FromDateTime(pass.Now.UtcDateTime)));
        pass.Status.Version = target.Version;
        pass.Status.StartedAt ??= pass.Now.UtcDateTime;

        var summary = await ReportStore.ReadSummaryAsync(target, prefix, cancellationToken);
        if (summary is not null)
        {
            pass.Event(EventType.Normal, "AuditReused", $"sha256 {sha[..12]}… was already audited with this policy: {Location(target, prefix)}; not scanned again");
        }
        else
        {
            ScanReports reports;
            try
            {
                reports = await scanner.ScanAsync(new AuditRequest
                {
                    ArtifactBytes = artifact.Bytes,
                    ExpectedSha256 = sha,
                    Subject = $"{pass.Namespace}/{target.Project.Metadata.Name}@{target.Version ?? sha[..12]}",
                    Source = artifact.Source,
                    Checks = run,
                    Infrastructure = infrastructure,
                    Policy = new AuditPolicy { FailOn = Severe(pass.Spec.FailOn), Suppressions = suppressions },
                    TimeLimit = options.TimeLimit,
                }, $"{pass.Namespace}-{pass.Name}-{pass.Resource.Metadata.Uid}", cancellationToken);
            }
            catch (ArtifactRejectedException ex)
            {
                return ex.Reason == ArtifactRejection.DigestMismatch
                    ? StepOutcome.Terminal(ConditionReasons.TerminalArtifactMismatch, ex.Message)
                    : StepOutcome.Terminal(TerminalArtifactUnreadable, $"the artifact sha256 {sha} cannot be audited ({ex.Reason}): {ex.Message}");
            }
            catch (AuditTimeoutException ex)
            {
                return StepOutcome.Terminal(TerminalAuditTimeout, ex.Message);
            }
            catch (IsolatedScanFailedException ex)
            {
                return StepOutcome.Terminal(TerminalAuditScanFailed, ex.Message);
            }
            catch (ScanVolumeUnavailableException ex)
            {
                return WaitForScanVolume(pass, ex);
            }

            summary = await ReportStore.WriteAsync(target, prefix, reports, cancellationToken);
            pass.Event(summary.Passed ? EventType.Normal : EventType.Warning, summary.Passed ? "AuditPassed" : "AuditFailed",
                $"sha256 {sha[..12]}… audited: {Counts(summary)}; reports in {Location(target, prefix)}");
        }

        var status = pass.Status;
        status.Findings = summary.Counts;
        status.ReportRef = new ReportReference
        {
            ConfigMapName = ReportStore.ConfigMapName(pass.Name),
            S3 = new S3Location { Bucket = target.Bucket, Key = prefix + ReportStore.MarkdownName },
        };
        await ReportStore.WriteConfigMapAsync(pass, summary, prefix, cancellationToken);
        status.CompletedAt = pass.Now.UtcDateTime;
        status.Phase = summary.Passed ? AuditPhase.Passed : AuditPhase.Failed;
        var skipped = unavailable.Count == 0 ? string.Empty : $" (check(s) {string.Join(", ", unavailable)} not available in this operator, not run)";
        if (summary.ExpiredSuppressions.Count > 0)
        {
            var expired = $"{summary.ExpiredSuppressions.Count} suppression(s) expired and suppressed nothing: {string.Join(", ", summary.ExpiredSuppressions)}";
            pass.Event(EventType.Warning, "SuppressionExpired", expired);
            skipped += "; " + expired;
        }

        return summary.Passed
            ? StepOutcome.Ready($"passed at failOn {Wire(pass.Spec.FailOn)}: {Counts(summary)}{skipped}; report {Location(target, prefix)}", ConditionReasons.AuditPassed)
            : StepOutcome.Terminal(ConditionReasons.TerminalFindingsAboveThreshold,
                $"blocked at failOn {Wire(pass.Spec.FailOn)}: {string.Join("; ", summary.Reasons)}{skipped}; report {Location(target, prefix)}");
    }

    /// <summary>
    /// The Job path's shared volume is not usable yet (mounted late, read-only, full): nothing was submitted, the run stays Running and
    /// looks again after a wait that equals the time it has been waiting, within [<see cref="AuditRunOptions.WaitForProject"/>,
    /// <see cref="ScanVolumeWaitMax"/>]; a Warning Event when the wait starts.
    /// </summary>
    private StepOutcome WaitForScanVolume(AuditPass pass, ScanVolumeUnavailableException ex)
    {
        var previous = pass.Condition(ConditionTypes.Ready);
        var waiting = string.Equals(previous.Reason, WaitingForScanVolume, StringComparison.Ordinal);
        var waitingFor = waiting && previous.LastTransitionTime is { } since ? pass.Now - UtcTimes.From(since) : TimeSpan.Zero;
        var wait = waitingFor > options.WaitForProject ? waitingFor : options.WaitForProject;
        wait = wait > ScanVolumeWaitMax ? ScanVolumeWaitMax : wait;
        var message = $"{ex.Message}; nothing was submitted, looking again in {wait.TotalSeconds:0.#} s";
        if (!waiting)
        {
            pass.Event(EventType.Warning, WaitingForScanVolume, message);
        }

        return StepOutcome.WaitingBeforeLaterSteps(WaitingForScanVolume, message, wait, "WaitForScanVolume");
    }

    /// <summary>The project's live configuration (read-only: the collector only gets, lists and describes), for the infrastructure check.</summary>
    private static Task<InfrastructureSnapshot> LiveConfigurationAsync(AuditPass pass, AuditTarget target, CancellationToken cancellationToken)
    {
        var account = pass.Caches.Accounts.Get(pass.Namespace, target.Project.Spec.ClientAccountRef.Name)
            ?? throw new InvalidOperationException("the scan step runs after the project step resolved the ClientAccount");
        return InfrastructureCollector.CollectAsync(target.Project, account, target.Member, pass.Aws.ForManagement(pass.Actor).Organizations, cancellationToken);
    }

    private static string Location(AuditTarget target, string prefix) => $"s3://{target.Bucket}/{prefix}";

    private static string Counts(ReportSummary summary) =>
        $"{summary.Counts.Critical} critical, {summary.Counts.High} high, {summary.Counts.Medium} medium, {summary.Counts.Low} low"
        + (summary.Counts.Suppressed > 0 ? $", {summary.Counts.Suppressed} suppressed" : string.Empty);

    internal static Severity Severe(FailOnSeverity failOn) => failOn switch
    {
        FailOnSeverity.High => Severity.High,
        FailOnSeverity.Medium => Severity.Medium,
        _ => Severity.Critical,
    };

    internal static string Wire<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
