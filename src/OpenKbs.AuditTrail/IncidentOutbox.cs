using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The durable outbox of incident notifications (migration 4: <c>incident_notification</c>, one row per incident and kind, written
/// in the transaction that opens, acknowledges or closes the incident; <c>incident_delivery</c>, one row when it was delivered or
/// given up; both append-only). A notification without a delivery row is still owed, across restarts: <see cref="IncidentWebhook"/>
/// sends it. The payload is written once, as it is sent: identifiers and times only, secret-named details redacted, never a
/// closing note (free text).
/// </summary>
public static class IncidentOutbox
{
    public const string Opened = "opened";

    public const string Acknowledged = "acknowledged";

    public const string Closed = "closed";

    /// <summary>The operator saw the cause gone (<see cref="IncidentStates.CauseCleared"/>); the incident stays open.</summary>
    public const string CauseCleared = "cause-cleared";

    /// <summary>The kind of the reminder before deadline <paramref name="deadline"/> (<see cref="Incident.Deadlines"/>), once per incident.</summary>
    public static string Deadline(string deadline)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        return "deadline:" + deadline.Replace(' ', '-');
    }

    /// <summary>The notification kind of an incident change (<see cref="IncidentStates"/>).</summary>
    public static string Of(string action) => action switch
    {
        IncidentStates.Acknowledged => Acknowledged,
        IncidentStates.Closed => Closed,
        IncidentStates.CauseCleared => CauseCleared,
        _ => throw new ArgumentException($"'{action}' is not an incident change", nameof(action)),
    };

    /// <summary>
    /// The JSON body of notification <paramref name="kind"/> of <paramref name="incident"/>: <c>type</c> is
    /// <c>openkbs.incident.&lt;kind&gt;</c> (<c>openkbs.incident.deadline</c> with <c>deadline</c> and <c>due</c> for a reminder).
    /// </summary>
    public static string Payload(Incident incident, string kind, (string Name, DateTimeOffset Due)? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "openkbs.incident." + (deadline is null ? kind : "deadline"));
            json.WriteNumber("id", incident.Id);
            json.WriteString("namespace", incident.Namespace);
            json.WriteString("cause", incident.Cause);
            json.WriteString("subject", incident.Subject);
            json.WriteString("state", incident.State);
            if (incident.Resource is { } resource)
            {
                json.WriteString("resource", resource);
            }

            json.WriteString("summary", incident.Summary);
            if (deadline is { } d)
            {
                json.WriteString("deadline", d.Name);
                json.WriteString("due", Time(d.Due));
            }

            json.WriteString("detectedAt", Time(incident.DetectedAt));
            json.WriteString("earlyWarningDue", Time(incident.EarlyWarningDue));
            json.WriteString("notificationDue", Time(incident.NotificationDue));
            json.WriteString("reportDue", Time(incident.ReportDue));
            json.WriteString("openedBy", incident.OpenedBy);
            if (incident.AcknowledgedAt is { } acknowledged)
            {
                json.WriteString("acknowledgedAt", Time(acknowledged));
                json.WriteString("acknowledgedBy", incident.AcknowledgedBy);
            }

            if (incident.CauseClearedAt is { } cleared)
            {
                json.WriteString("causeClearedAt", Time(cleared));
                json.WriteString("causeClearedBy", incident.CauseClearedBy);
            }

            if (incident.ClosedAt is { } closed)
            {
                json.WriteString("closedAt", Time(closed));
                json.WriteString("closedBy", incident.ClosedBy);
            }

            json.WriteStartObject("details");
            foreach (var (key, value) in incident.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, AuditDetails.IsSecretName(key) ? "[redacted]" : value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes notification <paramref name="kind"/> of incident <paramref name="incident"/> in the caller's transaction (once per kind).</summary>
    internal static async Task WriteAsync(NpgsqlConnection connection, Incident incident, string kind, string payload, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(Insert, connection);
        await InsertAsync(insert, incident.Id, kind, payload, cancellationToken);
    }

    private const string Insert =
        "INSERT INTO openkbs_audit.incident_notification (incident, kind, payload) VALUES ($1, $2, $3) ON CONFLICT (incident, kind) DO NOTHING";

    private static Task<int> InsertAsync(NpgsqlCommand insert, long incident, string kind, string payload, CancellationToken cancellationToken)
    {
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incident });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
        return insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Writes the reminders owed at <paramref name="now"/>: for every incident not closed, each deadline within
    /// <paramref name="lead"/> (or already past) that has no reminder yet. Returns how many were written.
    /// </summary>
    public static async Task<int> PlanDeadlinesAsync(NpgsqlDataSource source, DateTimeOffset now, TimeSpan lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var written = 0;
        var namespaces = new List<string>();
        await using (var list = source.CreateCommand(
            "SELECT DISTINCT i.namespace FROM openkbs_audit.incident i WHERE NOT EXISTS "
            + "(SELECT 1 FROM openkbs_audit.incident_change c WHERE c.incident = i.id AND c.action = 'Closed') AND i.detected_at <= $1"))
        {
            // The earliest deadline is 24 h after detection: only incidents that old minus the lead can owe a reminder.
            list.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - Incident.EarlyWarningWithin + lead });
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                namespaces.Add(reader.GetString(0));
            }
        }

        foreach (var @namespace in namespaces)
        {
            foreach (var incident in await PostgresIncidentStore.ListAsync(source, @namespace, includeClosed: false, cancellationToken))
            {
                foreach (var deadline in incident.Deadlines.Where(d => d.Due - lead <= now))
                {
                    await using var insert = source.CreateCommand(Insert);
                    written += await InsertAsync(insert, incident.Id, Deadline(deadline.Name), Payload(incident, Deadline(deadline.Name), deadline), cancellationToken);
                }
            }
        }

        return written;
    }

    /// <summary>
    /// The notifications not delivered nor given up yet, oldest first (at most <paramref name="limit"/>), each with its failed
    /// attempts so far and when the next is due (from <c>incident_attempt</c>, so both survive a restart).
    /// </summary>
    public static async Task<IReadOnlyList<OwedNotification>> OwedAsync(NpgsqlDataSource source, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand(
            "SELECT n.id, n.incident, n.kind, n.payload, coalesce(a.attempts, 0), a.next_at FROM openkbs_audit.incident_notification n "
            + "LEFT JOIN LATERAL (SELECT max(attempt) AS attempts, max(next_at) AS next_at FROM openkbs_audit.incident_attempt WHERE notification = n.id) a ON true "
            + "WHERE NOT EXISTS (SELECT 1 FROM openkbs_audit.incident_delivery d WHERE d.notification = n.id) ORDER BY n.id LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var owed = new List<OwedNotification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owed.Add(new OwedNotification(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3))
            {
                Attempts = reader.GetInt32(4),
                NextAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            });
        }

        return owed;
    }

    /// <summary>Records failed attempt <paramref name="attempt"/> of notification <paramref name="id"/> and when the next is due (once per number).</summary>
    public static async Task RecordAttemptAsync(NpgsqlDataSource source, long id, int attempt, string problem, DateTimeOffset nextAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand(
            "INSERT INTO openkbs_audit.incident_attempt (notification, attempt, problem, next_at) VALUES ($1, $2, $3, $4) ON CONFLICT (notification, attempt) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempt });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = problem });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = nextAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records that notification <paramref name="id"/> was delivered or given up (once; a second record is ignored).</summary>
    public static async Task RecordDeliveryAsync(NpgsqlDataSource source, long id, bool delivered, int attempts, string? problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand(
            "INSERT INTO openkbs_audit.incident_delivery (notification, outcome, attempts, problem) VALUES ($1, $2, $3, $4) ON CONFLICT (notification) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivered ? "Delivered" : "GivenUp" });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)problem ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A notification still owed: its row id, incident, kind and the JSON body to POST.</summary>
public sealed record OwedNotification(long Id, long Incident, string Kind, string Payload)
{
    /// <summary>Attempts that failed so far (recorded in the store: a restart does not reset it).</summary>
    public int Attempts { get; init; }

    /// <summary>When the next attempt is due (null: at once).</summary>
    public DateTimeOffset? NextAt { get; init; }
}
