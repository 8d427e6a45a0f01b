using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The operator's background verification of the audit-record hash chain (the code of <c>openkbs audit verify</c>,
/// <see cref="AuditChainVerifier"/>): the first run at start verifies the whole chain, every <see cref="AuditStoreOptions.VerifyInterval"/>
/// after it only the records since the head verified last (after checking that head unchanged), and the whole chain again once
/// <see cref="FullEvery"/> has passed since the last whole verification. A break opens a NIS2 Art. 23 incident
/// (<see cref="IncidentCauses.AuditChainBroken"/>, subject <c>AuditTrail/record/&lt;seq&gt;</c>, in the namespace of the record where it
/// was seen) naming the first broken record, and the next run verifies the whole chain again. Each run also verifies the incident
/// rows' chain (<see cref="IncidentChain"/>); a break there opens the same cause in namespace <c>-</c>, subject <c>AuditTrail/&lt;row&gt;</c>. It reads only: the operator's
/// other work goes on (AWS changes are refused only when the store is unreachable, as everywhere); an unreachable store or
/// any failure of a run is logged and the next interval tries again.
/// </summary>
public sealed partial class AuditChainWatch : BackgroundService
{
    /// <summary>How often the whole chain is verified again (the runs between verify only what was appended).</summary>
    public static readonly TimeSpan FullEvery = TimeSpan.FromHours(24);

    private readonly AuditStoreOptions _options;
    private readonly IIncidentRecorder _incidents;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditChainWatch> _logger;
    private AuditChainCheckpoint? _head;
    private DateTimeOffset _lastFull = DateTimeOffset.MinValue;

    public AuditChainWatch(IOptions<AuditStoreOptions> options, IIncidentRecorder incidents, ILogger<AuditChainWatch> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _incidents = incidents;
        _logger = logger;
        _time = time;
    }

    /// <summary>One verification (whole or incremental, see the type); opens the incident when broken. Returns what it found.</summary>
    public async Task<AuditChainReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var from = now - _lastFull >= FullEvery ? null : _head;
        var report = await AuditChainVerifier.VerifyAsync(_options.ConnectionString!, from, cancellationToken);
        if (from is null)
        {
            _lastFull = now;
        }

        if (report.Intact)
        {
            _head = report.Head ?? _head;
            LogIntact(_logger, from is null ? "whole" : "incremental", report.Message);
            await VerifyIncidentChainAsync(now, cancellationToken);
            return report;
        }

        // Broken: verified whole again next time (the break may be repaired from a backup, or more may be broken before it).
        _head = null;
        _lastFull = DateTimeOffset.MinValue;
        var at = report.BrokenAt!.Value.ToString(CultureInfo.InvariantCulture);
        LogBroken(_logger, report.Message);
        await _incidents.OpenAsync(
            new IncidentReport
            {
                Namespace = report.Namespace ?? "-",
                Cause = IncidentCauses.AuditChainBroken,
                Subject = $"AuditTrail/record/{at}",
                Resource = $"openkbs_audit.record/{at}",
                Summary = $"the audit trail's hash chain failed verification: {report.Message}",
                Details = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["brokenAt"] = at,
                    ["problem"] = report.Problem ?? "unknown",
                    ["checked"] = report.Checked.ToString(CultureInfo.InvariantCulture),
                },
                DetectedAt = now,
                Actor = AwsActor.System(nameof(AuditChainWatch)),
            },
            cancellationToken);
        return report;
    }

    /// <summary>The incident rows' own chain (<see cref="IncidentChain"/>, small: verified whole each run); a break opens the incident too.</summary>
    private async Task VerifyIncidentChainAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = await IncidentChain.VerifyAsync(_options.ConnectionString!, cancellationToken);
        if (report.Intact)
        {
            return;
        }

        LogBroken(_logger, report.Message);
        await _incidents.OpenAsync(
            new IncidentReport
            {
                Namespace = "-",
                Cause = IncidentCauses.AuditChainBroken,
                Subject = $"AuditTrail/{report.BrokenRow}",
                Summary = $"the incident records' hash chain failed verification: {report.Message}",
                Details = new Dictionary<string, string>(StringComparer.Ordinal) { ["brokenRow"] = report.BrokenRow!, ["problem"] = report.Problem! },
                DetectedAt = now,
                Actor = AwsActor.System(nameof(AuditChainWatch)),
            },
            cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.VerifyInterval, _time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Never stops the operator: the next interval tries again.
                LogFailed(_logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4070, Level = LogLevel.Information, Message = "Audit trail verified ({Scope}): {Message}")]
    private static partial void LogIntact(ILogger logger, string scope, string message);

    [LoggerMessage(EventId = 4071, Level = LogLevel.Critical, Message = "Audit trail hash chain broken: {Message}; incident opened")]
    private static partial void LogBroken(ILogger logger, string message);

    [LoggerMessage(EventId = 4072, Level = LogLevel.Error, Message = "Audit trail verification did not run ({Error}: {Message}); next interval tries again")]
    private static partial void LogFailed(ILogger logger, string error, string message);
}
