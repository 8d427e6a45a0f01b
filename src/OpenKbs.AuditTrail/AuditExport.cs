using System.Text.Json;
using Npgsql;

namespace OpenKbs.AuditTrail;

/// <summary>Writes the records of one namespace in a time window as JSON lines (one object per record, in sequence order).</summary>
public static class AuditExport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes the records with <paramref name="since"/> &lt;= time &lt; <paramref name="until"/>; returns how many.</summary>
    public static async Task<long> WriteAsync(
        string connectionString, string @namespace, DateTimeOffset since, DateTimeOffset? until, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT {AuditRows.Columns} FROM openkbs_audit.record WHERE namespace = $1 AND time >= $2 AND ($3::timestamptz IS NULL OR time < $3) ORDER BY seq",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = @namespace });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)until?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = AuditRows.Read(reader);
            var line = new
            {
                row.Sequence,
                row.Time,
                row.Action,
                row.Resource,
                row.Outcome,
                row.ErrorCode,
                row.RefersTo,
                row.Namespace,
                row.Kind,
                row.Name,
                row.Uid,
                row.Controller,
                row.SpecManager,
                row.SpecChangedAt,
                row.OperatorIdentity,
                row.AccountId,
                row.Region,
                row.SourceIp,
                row.RequestId,
                row.Attempts,
                row.Details,
                PreviousHash = Convert.ToHexStringLower(row.PreviousHash),
                Hash = Convert.ToHexStringLower(row.Hash),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(line, Json).AsMemory(), cancellationToken);
            count++;
        }

        return count;
    }
}
