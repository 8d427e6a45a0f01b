using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OpenKbs.AuditTrail;

/// <summary>Reading and writing <see cref="StoredAuditRecord"/> rows of <c>openkbs_audit.record</c>.</summary>
internal static class AuditRows
{
    public const string Columns =
        "seq, time, action, resource, controller, namespace, kind, name, uid, spec_manager, spec_changed_at, operator_identity, details, "
        + "source_ip, account_id, region, outcome, error_code, request_id, attempts, refers_to, prev_hash, hash";

    /// <summary>Inserts <paramref name="row"/>, written by the journal instance <paramref name="writer"/> (its liveness lock id; not hashed).</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, StoredAuditRecord row, int writer, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO openkbs_audit.record ({Columns}, writer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)",
            connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<long> { TypedValue = row.Sequence });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.Time });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Action });
        p.Add(Text(row.Resource));
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Controller });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Namespace });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Kind });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Name });
        p.Add(Text(row.Uid));
        p.Add(Text(row.SpecManager));
        p.Add(new NpgsqlParameter { Value = (object?)row.SpecChangedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.OperatorIdentity });
        p.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(row.Details), NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.SourceIp });
        p.Add(Text(row.AccountId));
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Region });
        p.Add(new NpgsqlParameter<string> { TypedValue = row.Outcome });
        p.Add(Text(row.ErrorCode));
        p.Add(Text(row.RequestId));
        p.Add(new NpgsqlParameter<int> { TypedValue = row.Attempts });
        p.Add(new NpgsqlParameter { Value = (object?)row.RefersTo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = row.PreviousHash });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = row.Hash });
        p.Add(new NpgsqlParameter<int> { TypedValue = writer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static StoredAuditRecord Read(NpgsqlDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Time = reader.GetFieldValue<DateTimeOffset>(1),
        Action = reader.GetString(2),
        Resource = Optional(reader, 3),
        Controller = reader.GetString(4),
        Namespace = reader.GetString(5),
        Kind = reader.GetString(6),
        Name = reader.GetString(7),
        Uid = Optional(reader, 8),
        SpecManager = Optional(reader, 9),
        SpecChangedAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        OperatorIdentity = reader.GetString(11),
        Details = new SortedDictionary<string, string>(
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(12)) ?? [], StringComparer.Ordinal),
        SourceIp = reader.GetString(13),
        AccountId = Optional(reader, 14),
        Region = reader.GetString(15),
        Outcome = reader.GetString(16),
        ErrorCode = Optional(reader, 17),
        RequestId = Optional(reader, 18),
        Attempts = reader.GetInt32(19),
        RefersTo = reader.IsDBNull(20) ? null : reader.GetInt64(20),
        PreviousHash = reader.GetFieldValue<byte[]>(21),
        Hash = reader.GetFieldValue<byte[]>(22),
    };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static string? Optional(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
