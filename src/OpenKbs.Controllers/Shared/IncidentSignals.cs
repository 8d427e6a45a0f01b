using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// What a controller does when its pass sees a security-relevant change (NIS2 Art. 23): records the incident
/// (<see cref="IIncidentRecorder"/>: the audit store, then the webhook in the background; idempotent per namespace, cause and
/// subject while open), raises a Warning event on the object whose pass saw it (and on the ClientAccount when that is another
/// object) and sets the ClientAccount's <see cref="ConditionTypes.IncidentOpen"/> condition. Without a durable store there is
/// no recorder: the Warning event is still raised and says the incident was not recorded. Never throws for the store or the
/// API server: the pass that saw the change goes on (it puts the change back).
/// </summary>
internal sealed partial class IncidentSignals(
    ILogger<IncidentSignals> logger, IIncidentRecorder? recorder = null, IStatusStore<ClientAccount>? accounts = null, IEventRecorder? events = null)
{
    /// <summary>Event reason of a newly opened incident (Warning).</summary>
    public const string Opened = "IncidentOpened";

    /// <summary>Event reason when the change is seen again while its incident is open (Warning).</summary>
    public const string SeenAgain = "IncidentOngoing";

    /// <summary>Event reason when the store could not record it (Warning).</summary>
    public const string NotRecorded = "IncidentNotRecorded";

    /// <summary>Event reason when the operator saw the cause of an open incident gone (Normal); the incident stays open.</summary>
    public const string CauseCleared = "IncidentCauseCleared";

    public const string ReasonOpen = "IncidentOpen";

    /// <summary>Condition reason when the cause of every open incident was seen cleared: only a person's closing is awaited.</summary>
    public const string ReasonAwaitingClosure = "IncidentAwaitingClosure";

    public const string ReasonNone = "NoOpenIncident";

    /// <summary>Attempts of <see cref="MarkAccountAsync"/> against conflicting writes.</summary>
    private const int MarkAttempts = 5;

    /// <summary>Whether incidents are recorded (a durable store is configured); without, <see cref="RaiseAsync"/> only warns.</summary>
    public bool Records => recorder is not null;

    /// <summary>
    /// Records <paramref name="report"/>; raises the Warning through <paramref name="localEvent"/> (the pass's own object) and, when
    /// <paramref name="account"/> is given (a Project's pass), on the ClientAccount too and sets its condition at once.
    /// </summary>
    public async Task<Incident?> RaiseAsync(
        IncidentReport report, Action<EventType, string, string> localEvent, ClientAccount? account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(localEvent);
        if (recorder is null)
        {
            Warn(localEvent, account, NotRecorded, $"{report.Summary}; no durable audit store configured: the incident is not recorded and nobody is notified (NIS2 Art. 23 clock not kept)");
            return null;
        }

        IncidentOpening opening;
        try
        {
            opening = await recorder.OpenAsync(report, cancellationToken);
        }
        catch (AuditTrailUnavailableException ex)
        {
            LogNotRecorded(logger, report.Namespace, report.Cause, report.Subject, ex.Message);
            Warn(localEvent, account, NotRecorded, $"{report.Summary}; the audit store is unreachable: the incident is not recorded yet (seen again on the next drift check)");
            return null;
        }

        var incident = opening.Incident;
        if (!incident.IsOpen)
        {
            // A person closed the incident of this very occurrence: nothing new to say (a new occurrence opens a new one).
            return incident;
        }

        Warn(localEvent, account, opening.Opened ? Opened : SeenAgain,
            $"{report.Summary}; incident {incident.Id} {(opening.Opened ? "opened" : "still open since " + Time(incident.DetectedAt))}: "
            + $"early warning due {Time(incident.EarlyWarningDue)}, notification due {Time(incident.NotificationDue)}, final report due {Time(incident.ReportDue)} (NIS2 Art. 23)");
        if (account is not null && accounts is not null)
        {
            await MarkAccountAsync(account, now, cancellationToken);
        }

        return incident;
    }

    /// <summary>
    /// The pass put the cause of <paramref name="clearance"/> right (or saw it gone): records it on the open incidents of that cause and
    /// subject (<see cref="IIncidentRecorder.CauseClearedAsync"/>, once per incident; they stay open until a person closes them), raises a
    /// Normal event per incident marked on the pass's object (and the ClientAccount, when given, whose condition is set at once). No
    /// recorder: nothing. The store unreachable: logged, false (the pass goes on); true when the store answered.
    /// </summary>
    public async Task<bool> ClearedAsync(
        IncidentClearance clearance, Action<EventType, string, string> localEvent, ClientAccount? account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clearance);
        ArgumentNullException.ThrowIfNull(localEvent);
        if (recorder is null)
        {
            return true;
        }

        IReadOnlyList<Incident> marked;
        try
        {
            marked = await recorder.CauseClearedAsync(clearance, cancellationToken);
        }
        catch (AuditTrailUnavailableException ex)
        {
            LogClearanceNotRecorded(logger, clearance.Namespace, clearance.Cause, clearance.Subject, ex.Message);
            return false;
        }

        foreach (var incident in marked)
        {
            var message = $"incident {incident.Id} ({incident.Cause} of {incident.Subject}): cause cleared at {Time(incident.CauseClearedAt!.Value)} ({clearance.How}); "
                + "it stays open until a person closes it (`openkbs incident close`): NIS2 Art. 23 reporting goes on";
            localEvent(EventType.Normal, CauseCleared, message);
            if (account is not null)
            {
                events?.Record(account, EventType.Normal, CauseCleared, message);
            }
        }

        if (marked.Count > 0 && account is not null && accounts is not null)
        {
            await MarkAccountAsync(account, now, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Sets <see cref="ConditionTypes.IncidentOpen"/> through <paramref name="setCondition"/> from the namespace's open incidents (no change
    /// without a recorder or when the store is unreachable). Called at the end of every ClientAccount pass.
    /// </summary>
    public async Task ConcludeAsync(string @namespace, Func<string, string, string, string, bool> setCondition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setCondition);
        if (recorder is null)
        {
            return;
        }

        IReadOnlyList<Incident> open;
        try
        {
            open = await recorder.OpenIncidentsAsync(@namespace, cancellationToken);
        }
        catch (AuditTrailUnavailableException ex)
        {
            LogNotRead(logger, @namespace, ex.Message);
            return;
        }

        var (status, reason, message) = Condition(open, now);
        setCondition(ConditionTypes.IncidentOpen, status, reason, message);
    }

    /// <summary>
    /// The condition for <paramref name="open"/> incidents at <paramref name="now"/>: True with the earliest deadline still ahead (each
    /// incident whose cause was seen cleared says when, awaiting closure; reason <see cref="ReasonAwaitingClosure"/> when that is every
    /// one), or False.
    /// </summary>
    public static (string Status, string Reason, string Message) Condition(IReadOnlyList<Incident> open, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.Count == 0)
        {
            return (ConditionStatus.False, ReasonNone, "no open incident (NIS2 Art. 23)");
        }

        var next = open.Select(i => (Incident: i, Next: i.NextDeadline(now))).Where(n => n.Next is not null).OrderBy(n => n.Next!.Value.Due).FirstOrDefault();
        var causes = string.Join(", ", open.Select(i => $"{i.Id} {i.Cause} of {i.Subject}"
            + (i.CauseClearedAt is { } cleared ? $" (cause cleared at {Time(cleared)}, awaiting closure)" : string.Empty)));
        var deadline = next.Incident is null
            ? "every Art. 23 deadline has passed"
            : $"earliest deadline: {next.Next!.Value.Name} of incident {next.Incident.Id} due {Time(next.Next.Value.Due)}";
        var reason = open.All(i => i.CauseClearedAt is not null) ? ReasonAwaitingClosure : ReasonOpen;
        return (ConditionStatus.True, reason, $"{open.Count} open incident(s) (NIS2 Art. 23): {causes}; {deadline}; close with `openkbs incident close`");
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void Warn(Action<EventType, string, string> localEvent, ClientAccount? account, string reason, string message)
    {
        localEvent(EventType.Warning, reason, message);
        if (account is not null)
        {
            events?.Record(account, EventType.Warning, reason, message);
        }
    }

    /// <summary>
    /// A Project's pass opened an incident: the ClientAccount's condition at once (its own next pass keeps it from the store). The
    /// condition is derived from one read of the store's open incidents of the namespace made after the latest copy was read, so a
    /// ClientAccount pass that read the store before the incident was opened and published in between (this write then conflicts)
    /// cannot leave it False: on a conflict the copy and the store are read again and the write is retried.
    /// </summary>
    private async Task MarkAccountAsync(ClientAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var latest = await accounts!.GetAsync(ObjectKey.From(account), cancellationToken);
                if (latest is null)
                {
                    return;
                }

                latest.Status ??= new ClientAccountStatus();
                var conditions = latest.Status.Conditions;
                var changed = false;
                await ConcludeAsync(
                    account.Metadata.NamespaceProperty,
                    (type, status, reason, message) => changed = Conditions.Set(conditions, type, status, reason, message, latest.Metadata.Generation ?? 0, now),
                    now,
                    cancellationToken);
                if (changed)
                {
                    await accounts.SaveStatusAsync(latest, cancellationToken);
                }

                return;
            }
            catch (StatusConflictException ex) when (!ex.Gone && attempt < MarkAttempts)
            {
                // Written meanwhile (typically the ClientAccount's own pass): read both again.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The ClientAccount's own next pass sets the condition from the store.
                LogAccountNotMarked(logger, account.Metadata.NamespaceProperty, account.Metadata.Name, ex.Message);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4060, Level = LogLevel.Error, Message = "Incident {Cause} of {Subject} in namespace {Namespace} not recorded: {Error}")]
    private static partial void LogNotRecorded(ILogger logger, string @namespace, string cause, string subject, string error);

    [LoggerMessage(EventId = 4063, Level = LogLevel.Warning, Message = "The cleared cause {Cause} of {Subject} in namespace {Namespace} not recorded: {Error}")]
    private static partial void LogClearanceNotRecorded(ILogger logger, string @namespace, string cause, string subject, string error);

    [LoggerMessage(EventId = 4061, Level = LogLevel.Warning, Message = "Open incidents of namespace {Namespace} not read: {Error}; IncidentOpen left as it is")]
    private static partial void LogNotRead(ILogger logger, string @namespace, string error);

    [LoggerMessage(EventId = 4062, Level = LogLevel.Warning, Message = "ClientAccount {Namespace}/{Name}: IncidentOpen not set now ({Error}); its next pass sets it")]
    private static partial void LogAccountNotMarked(ILogger logger, string @namespace, string name, string error);
}
