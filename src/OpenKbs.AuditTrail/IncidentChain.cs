using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The hash chain of the incident rows (migration 5): every row of <c>incident</c> and <c>incident_change</c> written since carries
/// <c>chain_seq</c> (one sequence over both tables, contiguous from 1), <c>prev_hash</c> (the hash of the row before, 32 zero bytes
/// for the first) and <c>hash</c> = SHA-256(prev_hash || canonical encoding of the row), written under the incident lock
/// (<see cref="AuditSchema.IncidentLockKey"/>) like the audit records under theirs. <see cref="VerifyAsync"/> checks it and names the
/// first broken row (<c>openkbs incident verify</c>). Rows written before migration 5 carry no hash and are counted as such;
/// an unchained row written after the first chained one is a break.
/// </summary>
public static class IncidentChain
{
    /// <summary>The canonical encoding of an incident row.</summary>
    public static byte[] IncidentCanonical(
        long chainSeq, long id, string @namespace, string cause, string subject, string? resource, string summary, IReadOnlyDictionary<string, string> details,
        DateTimeOffset detectedAt, string openedBy, string operatorIdentity, DateTimeOffset recordedAt) =>
        Encode(json =>
        {
            json.WriteStringValue("incident/v1");
            json.WriteNumberValue(chainSeq);
            json.WriteNumberValue(id);
            json.WriteStringValue(@namespace);
            json.WriteStringValue(cause);
            json.WriteStringValue(subject);
            Optional(json, resource);
            json.WriteStringValue(summary);
            json.WriteStartObject();
            foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStringValue(Text(detectedAt));
            json.WriteStringValue(openedBy);
            json.WriteStringValue(operatorIdentity);
            json.WriteStringValue(Text(recordedAt));
        });

    /// <summary>The canonical encoding of an incident_change row.</summary>
    public static byte[] ChangeCanonical(long chainSeq, long incident, string action, string actor, string? note, DateTimeOffset recordedAt) =>
        Encode(json =>
        {
            json.WriteStringValue("incident_change/v1");
            json.WriteNumberValue(chainSeq);
            json.WriteNumberValue(incident);
            json.WriteStringValue(action);
            json.WriteStringValue(actor);
            Optional(json, note);
            json.WriteStringValue(Text(recordedAt));
        });

    public static byte[] Hash(byte[] previous, byte[] canonical)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(canonical);
        return SHA256.HashData([.. previous, .. canonical]);
    }

    /// <summary>The next link, read under the incident lock in the writer's transaction: its sequence, the previous hash and the time to record.</summary>
    internal static async Task<(long Seq, byte[] Previous, DateTimeOffset Now)> NextAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT h.chain_seq, h.hash, clock_timestamp() FROM (SELECT chain_seq, hash FROM openkbs_audit.incident WHERE chain_seq IS NOT NULL "
            + "UNION ALL SELECT chain_seq, hash FROM openkbs_audit.incident_change WHERE chain_seq IS NOT NULL) h ORDER BY h.chain_seq DESC LIMIT 1",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            return (reader.GetInt64(0) + 1, reader.GetFieldValue<byte[]>(1), StoredAuditRecord.Microseconds(reader.GetFieldValue<DateTimeOffset>(2)));
        }

        await reader.CloseAsync();
        await using var now = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        await using var clock = await now.ExecuteReaderAsync(cancellationToken);
        await clock.ReadAsync(cancellationToken);
        return (1, StoredAuditRecord.GenesisHash, StoredAuditRecord.Microseconds(clock.GetFieldValue<DateTimeOffset>(0)));
    }

    /// <summary>Checks the chain of the incident rows; names the first broken row.</summary>
    public static async Task<IncidentChainReport> VerifyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var rows = new List<Row>();
        await using (var command = new NpgsqlCommand(
            "SELECT chain_seq, prev_hash, hash, id, namespace, cause, subject, resource, summary, details::text, detected_at, opened_by, operator_identity, recorded_at "
            + "FROM openkbs_audit.incident",
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var seq = reader.IsDBNull(0) ? (long?)null : reader.GetInt64(0);
                var id = reader.GetInt64(3);
                var recordedAt = reader.GetFieldValue<DateTimeOffset>(13);
                var canonical = IncidentCanonical(
                    seq ?? 0, id, reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8),
                    JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9)) ?? [], reader.GetFieldValue<DateTimeOffset>(10),
                    reader.GetString(11), reader.GetString(12), recordedAt);
                rows.Add(new Row(
                    $"incident {id}", seq, reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2), recordedAt, canonical));
            }
        }

        await using (var command = new NpgsqlCommand("SELECT chain_seq, prev_hash, hash, incident, action, actor, note, recorded_at FROM openkbs_audit.incident_change", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var seq = reader.IsDBNull(0) ? (long?)null : reader.GetInt64(0);
                var incident = reader.GetInt64(3);
                var action = reader.GetString(4);
                var recordedAt = reader.GetFieldValue<DateTimeOffset>(7);
                var canonical = ChangeCanonical(seq ?? 0, incident, action, reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), recordedAt);
                rows.Add(new Row(
                    $"incident_change ({incident}, {action})", seq, reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2),
                    recordedAt, canonical));
            }
        }

        var chained = rows.Where(r => r.Seq is not null).OrderBy(r => r.Seq).ToList();
        var unchained = rows.Where(r => r.Seq is null).OrderBy(r => r.RecordedAt).ToList();
        if (chained.Count > 0 && unchained.FirstOrDefault(r => r.RecordedAt > chained[0].RecordedAt) is { } outside)
        {
            return Broken(chained.Count, outside.Name, "unchained", $"{outside.Name} was written after the chain began but carries no hash (inserted outside the operator)");
        }

        var previous = StoredAuditRecord.GenesisHash;
        long expected = 1;
        foreach (var row in chained)
        {
            if (row.Seq != expected)
            {
                return Broken(chained.Count, row.Name, "deleted", $"chain rows {expected}..{row.Seq - 1} are missing (deleted) before {row.Name} (chain row {row.Seq})");
            }

            if (row.PreviousHash is null || !row.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return Broken(chained.Count, row.Name, "changed", $"{row.Name} (chain row {row.Seq}) does not link to the row before it (its previous hash was changed, or that row was)");
            }

            if (row.Hash is null || !Hash(previous, row.Canonical).AsSpan().SequenceEqual(row.Hash))
            {
                return Broken(chained.Count, row.Name, "changed", $"{row.Name} (chain row {row.Seq}) was changed after it was written: its content does not match its hash");
            }

            previous = row.Hash;
            expected++;
        }

        var legacy = unchained.Count == 0 ? string.Empty : $"; {unchained.Count} row(s) written before the chain began (schema version 5) are not chained";
        return new IncidentChainReport
        {
            Intact = true,
            Checked = chained.Count,
            Head = chained.Count == 0 ? null : new AuditChainCheckpoint(chained.Count, previous),
            Message = chained.Count == 0
                ? $"incident chain intact: no chained row{legacy}"
                : $"incident chain intact: {chained.Count} row(s), head {Convert.ToHexStringLower(previous)}{legacy}",
        };
    }

    private static IncidentChainReport Broken(long count, string row, string problem, string message) => new()
    {
        Intact = false,
        Checked = count,
        BrokenRow = row,
        Problem = problem,
        Message = $"incident chain broken at {row} ({problem}): {message}",
    };

    private static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            write(json);
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void Optional(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private sealed record Row(string Name, long? Seq, byte[]? PreviousHash, byte[]? Hash, DateTimeOffset RecordedAt, byte[] Canonical);
}

/// <summary>What <see cref="IncidentChain.VerifyAsync"/> found.</summary>
public sealed record IncidentChainReport
{
    public required bool Intact { get; init; }

    /// <summary>Chained rows checked.</summary>
    public required long Checked { get; init; }

    /// <summary>The first broken row, e.g. <c>incident 3</c> or <c>incident_change (3, Closed)</c>.</summary>
    public string? BrokenRow { get; init; }

    /// <summary><c>changed</c>, <c>deleted</c>, <c>unchained</c> or (against a checkpoint) <c>truncated</c>.</summary>
    public string? Problem { get; init; }

    public required string Message { get; init; }

    /// <summary>Where an intact chain ends: its newest chain row and that row's hash (null when no row is chained).</summary>
    public AuditChainCheckpoint? Head { get; init; }

    /// <summary>The comparison with the checkpoints outside the database (<see cref="ChainAnchoring"/>); null when not compared.</summary>
    public string? Anchoring { get; init; }
}
