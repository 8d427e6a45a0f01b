using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The NIS2 Art. 23 incident records in the audit store (<c>openkbs_audit.incident</c> and <c>incident_change</c>, migration 3;
/// append-only for every role, never purged). An incident is opened once per namespace, cause and subject while it is not
/// closed: the check and the insert run under <see cref="AuditSchema.IncidentLockKey"/> in one transaction, so concurrent passes
/// (or replicas) seeing the same change open one; an open incident whose cause the operator saw cleared is not reused (the change seen
/// again opens a new one). Acknowledging, closing and the operator's cause-cleared observation are rows of their own (each at most once
/// per incident). Each of them writes its notification to the outbox (<see cref="IncidentOutbox"/>) in the same transaction, and each row is a link
/// of the incident hash chain (<see cref="IncidentChain"/>). Also keeps
/// the seals of the NIS2 reports written (<c>report_seal</c>).
/// </summary>
public static class PostgresIncidentStore
{
    /// <summary>The details key of <see cref="IncidentReport.Occurrence"/>.</summary>
    public const string OccurrenceKey = "occurrence";

    private const string Select =
        "SELECT i.id, i.namespace, i.cause, i.subject, i.resource, i.summary, i.details, i.detected_at, i.opened_by, "
        + "a.recorded_at, a.actor, c.recorded_at, c.actor, c.note, x.recorded_at, x.actor, x.note FROM openkbs_audit.incident i "
        + "LEFT JOIN openkbs_audit.incident_change a ON a.incident = i.id AND a.action = 'Acknowledged' "
        + "LEFT JOIN openkbs_audit.incident_change c ON c.incident = i.id AND c.action = 'Closed' "
        + "LEFT JOIN openkbs_audit.incident_change x ON x.incident = i.id AND x.action = 'CauseCleared' ";

    /// <summary>Opens the incident <paramref name="report"/> describes, or returns the one of the same cause and subject still open.</summary>
    public static async Task<IncidentOpening> OpenAsync(NpgsqlDataSource source, IncidentReport report, string operatorIdentity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditSchema.IncidentLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        var open = await ReadAsync(
            connection, Select + "WHERE i.namespace = $1 AND i.cause = $2 AND i.subject = $3 AND c.recorded_at IS NULL AND x.recorded_at IS NULL ORDER BY i.id LIMIT 1",
            [report.Namespace, report.Cause, report.Subject], cancellationToken);
        if (open.Count > 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new IncidentOpening(open[0], Opened: false);
        }

        if (report.Occurrence is { } occurrence)
        {
            var closed = await ReadAsync(
                connection, Select + $"WHERE i.namespace = $1 AND i.cause = $2 AND i.subject = $3 AND i.details ->> '{OccurrenceKey}' = $4 ORDER BY i.id DESC LIMIT 1",
                [report.Namespace, report.Cause, report.Subject, occurrence], cancellationToken);
            if (closed.Count > 0)
            {
                await transaction.CommitAsync(cancellationToken);
                return new IncidentOpening(closed[0], Opened: false);
            }
        }

        var details = AuditDetails(report.Details);
        if (report.Occurrence is not null)
        {
            details[OccurrenceKey] = report.Occurrence;
        }

        long id;
        await using (var next = new NpgsqlCommand("SELECT nextval('openkbs_audit.incident_id_seq')", connection))
        {
            id = (long)(await next.ExecuteScalarAsync(cancellationToken))!;
        }

        var (seq, previous, recordedAt) = await IncidentChain.NextAsync(connection, cancellationToken);
        var detectedAt = StoredAuditRecord.Microseconds(report.DetectedAt);
        var hash = IncidentChain.Hash(previous, IncidentChain.IncidentCanonical(
            seq, id, report.Namespace, report.Cause, report.Subject, report.Resource, report.Summary, details, detectedAt, report.Actor.Owner, operatorIdentity, recordedAt));
        await using var insert = new NpgsqlCommand(
            "INSERT INTO openkbs_audit.incident (id, namespace, cause, subject, resource, summary, details, detected_at, opened_by, operator_identity, recorded_at, chain_seq, prev_hash, hash) "
            + "OVERRIDING SYSTEM VALUE VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12, $13, $14)",
            connection);
        var p = insert.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = report.Namespace });
        p.Add(new NpgsqlParameter<string> { TypedValue = report.Cause });
        p.Add(new NpgsqlParameter<string> { TypedValue = report.Subject });
        p.Add(new NpgsqlParameter { Value = (object?)report.Resource ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string> { TypedValue = report.Summary });
        p.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(details), NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = detectedAt });
        p.Add(new NpgsqlParameter<string> { TypedValue = report.Actor.Owner });
        p.Add(new NpgsqlParameter<string> { TypedValue = operatorIdentity });
        p.Add(new NpgsqlParameter<long> { TypedValue = id });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = recordedAt });
        p.Add(new NpgsqlParameter<long> { TypedValue = seq });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = previous });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        var incident = new Incident
        {
            Id = id,
            Namespace = report.Namespace,
            Cause = report.Cause,
            Subject = report.Subject,
            Resource = report.Resource,
            Summary = report.Summary,
            Details = details,
            DetectedAt = detectedAt,
            OpenedBy = report.Actor.Owner,
        };
        await IncidentOutbox.WriteAsync(connection, incident, IncidentOutbox.Opened, IncidentOutbox.Payload(incident, IncidentOutbox.Opened), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IncidentOpening(incident, Opened: true);
    }

    /// <summary>The namespace's incidents, oldest first; closed ones only when <paramref name="includeClosed"/>.</summary>
    public static async Task<IReadOnlyList<Incident>> ListAsync(NpgsqlDataSource source, string @namespace, bool includeClosed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(
            connection, Select + "WHERE i.namespace = $1" + (includeClosed ? string.Empty : " AND c.recorded_at IS NULL") + " ORDER BY i.id", [@namespace], cancellationToken);
    }

    /// <summary>
    /// Acknowledges or closes (<see cref="IncidentStates"/>) incident <paramref name="id"/> of <paramref name="namespace"/>. Returns the
    /// incident as it is afterwards, or an error text (nothing written) when it does not exist in that namespace, is closed, or
    /// already carries that change.
    /// </summary>
    public static async Task<(Incident? Incident, string? Error)> ChangeAsync(
        NpgsqlDataSource source, string @namespace, long id, string action, string actor, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (action is not (IncidentStates.Acknowledged or IncidentStates.Closed))
        {
            throw new ArgumentException($"'{action}' is not an incident change", nameof(action));
        }

        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditSchema.IncidentLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        var found = await ReadAsync(connection, Select + "WHERE i.namespace = $1 AND i.id = $2", [@namespace, id], cancellationToken);
        if (found.Count == 0)
        {
            return (null, $"no incident {id} in namespace {@namespace}");
        }

        var incident = found[0];
        if (!incident.IsOpen)
        {
            return (incident, $"incident {id} was closed at {incident.ClosedAt:O} by {incident.ClosedBy}");
        }

        if (action == IncidentStates.Acknowledged && incident.AcknowledgedAt is not null)
        {
            return (incident, $"incident {id} was already acknowledged at {incident.AcknowledgedAt:O} by {incident.AcknowledgedBy}");
        }

        var after = await InsertChangeAsync(connection, id, action, actor, note, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (after, null);
    }

    /// <summary>
    /// The operator saw the cause of <paramref name="clearance"/> gone: each open incident of its namespace, cause and subject not yet
    /// marked gets its <see cref="IncidentStates.CauseCleared"/> change (a link of the incident chain, its notification in the outbox),
    /// under the incident lock. Returns the incidents marked now.
    /// </summary>
    public static async Task<IReadOnlyList<Incident>> CauseClearedAsync(NpgsqlDataSource source, IncidentClearance clearance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(clearance);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditSchema.IncidentLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        var open = await ReadAsync(
            connection, Select + "WHERE i.namespace = $1 AND i.cause = $2 AND i.subject = $3 AND c.recorded_at IS NULL AND x.recorded_at IS NULL ORDER BY i.id",
            [clearance.Namespace, clearance.Cause, clearance.Subject], cancellationToken);
        var marked = new List<Incident>();
        foreach (var incident in open)
        {
            marked.Add(await InsertChangeAsync(connection, incident.Id, IncidentStates.CauseCleared, clearance.Actor.Owner, clearance.How, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return marked;
    }

    /// <summary>One incident_change row (chained) and its notification, in the caller's transaction under the incident lock; returns the incident after it.</summary>
    private static async Task<Incident> InsertChangeAsync(NpgsqlConnection connection, long id, string action, string actor, string? note, CancellationToken cancellationToken)
    {
        var (seq, previous, recordedAt) = await IncidentChain.NextAsync(connection, cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO openkbs_audit.incident_change (incident, action, actor, note, recorded_at, chain_seq, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", connection))
        {
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = recordedAt });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = previous });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = IncidentChain.Hash(previous, IncidentChain.ChangeCanonical(seq, id, action, actor, note, recordedAt)) });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var after = (await ReadAsync(connection, Select + "WHERE i.id = $1", [id], cancellationToken))[0];
        var kind = IncidentOutbox.Of(action);
        await IncidentOutbox.WriteAsync(connection, after, kind, IncidentOutbox.Payload(after, kind), cancellationToken);
        return after;
    }

    /// <summary>Lists a written report's seal in the store (idempotent: the same content and format is listed once).</summary>
    public static async Task RecordSealAsync(
        NpgsqlDataSource source, string sha256, string @namespace, string report, string format, DateTimeOffset generatedAt, string recordedBy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand(
            "INSERT INTO openkbs_audit.report_seal (sha256, namespace, report, format, generated_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT (sha256, format) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = @namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = format });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = generatedAt });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = recordedBy });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The listing of a seal: when and by whom the report was recorded, or null when this content was never listed.</summary>
    public static async Task<(string Namespace, string Report, DateTimeOffset GeneratedAt, DateTimeOffset RecordedAt)?> FindSealAsync(
        NpgsqlDataSource source, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var command = source.CreateCommand("SELECT namespace, report, generated_at, recorded_at FROM openkbs_audit.report_seal WHERE sha256 = $1 ORDER BY recorded_at LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    private static SortedDictionary<string, string> AuditDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.ToDictionary(d => d.Key, d => OpenKbs.Aws.Audit.AuditDetails.IsSecretName(d.Key) ? "[redacted]" : d.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    private static async Task<List<Incident>> ReadAsync(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var incidents = new List<Incident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(new Incident
            {
                Id = reader.GetInt64(0),
                Namespace = reader.GetString(1),
                Cause = reader.GetString(2),
                Subject = reader.GetString(3),
                Resource = reader.IsDBNull(4) ? null : reader.GetString(4),
                Summary = reader.GetString(5),
                Details = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
                DetectedAt = reader.GetFieldValue<DateTimeOffset>(7),
                OpenedBy = reader.GetString(8),
                AcknowledgedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                AcknowledgedBy = reader.IsDBNull(10) ? null : reader.GetString(10),
                ClosedAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                ClosedBy = reader.IsDBNull(12) ? null : reader.GetString(12),
                ClosingNote = reader.IsDBNull(13) ? null : reader.GetString(13),
                CauseClearedAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                CauseClearedBy = reader.IsDBNull(15) ? null : reader.GetString(15),
                CauseClearedHow = reader.IsDBNull(16) ? null : reader.GetString(16),
            });
        }

        return incidents;
    }
}
