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
/// any failure of a run is logged and the next interval tries again. With a checkpoint sink (<see cref="IChainAnchorSink"/>,
/// <see cref="AuditStoreOptions.AnchorBucket"/>) each run also compares both chains with their newest checkpoints (a chain cut
/// short of one, or differing from one, is broken: <c>truncated</c> / <c>changed</c>, the same incident) and then anchors the heads
/// it verified; a run also starts early once <see cref="AuditStoreOptions.AnchorEveryRecords"/> records were appended by this
/// process. An unreachable sink is logged (4074): the chains' own verdict stands, and nothing is anchored until it answers.
/// </summary>
public sealed partial class AuditChainWatch : BackgroundService
{
    /// <summary>How often the whole chain is verified again (the runs between verify only what was appended).</summary>
    public static readonly TimeSpan FullEvery = TimeSpan.FromHours(24);

    private readonly AuditStoreOptions _options;
    private readonly IIncidentRecorder _incidents;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditChainWatch> _logger;
    private readonly IChainAnchorSink? _anchors;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private AuditChainCheckpoint? _head;
    private DateTimeOffset _lastFull = DateTimeOffset.MinValue;
    private long _sinceAnchor;

    /// <summary><paramref name="anchors"/>: where the heads are anchored (null: nowhere); <paramref name="journal"/>: counted, to anchor after <see cref="AuditStoreOptions.AnchorEveryRecords"/>.</summary>
    public AuditChainWatch(
        IOptions<AuditStoreOptions> options, IIncidentRecorder incidents, ILogger<AuditChainWatch> logger, TimeProvider time, IChainAnchorSink? anchors = null,
        PostgresAuditJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _incidents = incidents;
        _logger = logger;
        _time = time;
        _anchors = anchors;
        if (anchors is not null && journal is not null)
        {
            journal.Appended += OnAppended;
        }
    }

    /// <summary>One verification (whole or incremental, see the type); opens the incident when broken. Returns what it found.</summary>
    public async Task<AuditChainReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        Interlocked.Exchange(ref _sinceAnchor, 0);
        var from = now - _lastFull >= FullEvery ? null : _head;
        var report = await AuditChainVerifier.VerifyAsync(_options.ConnectionString!, from, cancellationToken);
        if (from is null)
        {
            _lastFull = now;
        }

        if (report.Intact && _anchors is not null)
        {
            report = await AnchoredAsync(report, cancellationToken);
        }

        if (report.Intact)
        {
            _head = report.Head ?? _head;
            LogIntact(_logger, from is null ? "whole" : "incremental", report.Message);
            var incidentHead = await VerifyIncidentChainAsync(now, cancellationToken);
            await AnchorAsync(report.Intact ? _head : null, incidentHead, now, cancellationToken);
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

    /// <summary>Wakes the watch once <see cref="AuditStoreOptions.AnchorEveryRecords"/> records were appended since the last run.</summary>
    private void OnAppended(int count)
    {
        if (Interlocked.Add(ref _sinceAnchor, count) >= _options.AnchorEveryRecords && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken already.
            }
        }
    }

    /// <summary>An intact chain against its checkpoints; the sink unreadable: logged, the chain's own verdict stands (and nothing is anchored on it).</summary>
    private async Task<AuditChainReport> AnchoredAsync(AuditChainReport report, CancellationToken cancellationToken)
    {
        try
        {
            return await ChainAnchoring.CheckAsync(_options.ConnectionString!, report, _anchors, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAnchorFailed(_logger, "read", ex.GetType().Name, ex.Message);
            return report with { Anchoring = "checkpoints unreadable" };
        }
    }

    /// <summary>Writes the verified heads as checkpoints (a head not verified intact is never anchored); a failure is logged, the next run tries again.</summary>
    private async Task AnchorAsync(AuditChainCheckpoint? audit, AuditChainCheckpoint? incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_anchors is null)
        {
            return;
        }

        foreach (var (chain, head) in new[] { (ChainAnchor.Audit, audit), (ChainAnchor.Incident, incident) })
        {
            if (head is null)
            {
                continue;
            }

            try
            {
                await _anchors.WriteAsync(new ChainAnchor(chain, head.Sequence, head.Hash, now), cancellationToken);
                LogAnchored(_logger, chain, head.Sequence, _anchors.Description);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogAnchorFailed(_logger, "write", ex.GetType().Name, ex.Message);
            }
        }
    }

    /// <summary>
    /// The incident rows' own chain (<see cref="IncidentChain"/>, small: verified whole each run, then against its checkpoints); a break
    /// opens the incident too. Returns the head to anchor (null when broken or empty).
    /// </summary>
    private async Task<AuditChainCheckpoint?> VerifyIncidentChainAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = await IncidentChain.VerifyAsync(_options.ConnectionString!, cancellationToken);
        if (report.Intact && _anchors is not null)
        {
            try
            {
                report = await ChainAnchoring.CheckAsync(_options.ConnectionString!, report, _anchors, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogAnchorFailed(_logger, "read", ex.GetType().Name, ex.Message);
                return null;
            }
        }

        if (report.Intact)
        {
            return report.Head;
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
        return null;
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

    /// <summary>Until the next tick, or earlier when enough records were appended to anchor (<see cref="OnAppended"/>).</summary>
    private async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var tick = timer.WaitForNextTickAsync(either.Token).AsTask();
            var woken = _wake.WaitAsync(either.Token);
            var first = await Task.WhenAny(tick, woken);
            await either.CancelAsync();
            try
            {
                await Task.WhenAll(tick, woken);
            }
            catch (OperationCanceledException)
            {
                // The one that lost was cancelled.
            }

            stoppingToken.ThrowIfCancellationRequested();
            return first == woken || await tick;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 4070, Level = LogLevel.Information, Message = "Audit trail verified ({Scope}): {Message}")]
    private static partial void LogIntact(ILogger logger, string scope, string message);

    [LoggerMessage(EventId = 4071, Level = LogLevel.Critical, Message = "Audit trail hash chain broken: {Message}; incident opened")]
    private static partial void LogBroken(ILogger logger, string message);

    [LoggerMessage(EventId = 4073, Level = LogLevel.Information, Message = "Audit trail: the {Chain} chain's head (row {Sequence}) anchored in {Sink}")]
    private static partial void LogAnchored(ILogger logger, string chain, long sequence, string sink);

    [LoggerMessage(EventId = 4074, Level = LogLevel.Error, Message = "Audit trail: could not {Verb} the chain checkpoints ({Error}: {Message}); the next run tries again")]
    private static partial void LogAnchorFailed(ILogger logger, string verb, string error, string message);

    [LoggerMessage(EventId = 4072, Level = LogLevel.Error, Message = "Audit trail verification did not run ({Error}: {Message}); next interval tries again")]
    private static partial void LogFailed(ILogger logger, string error, string message);
}
