using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OpenKbs.Aws.CloudWatch;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Daily consumption figures per project in <c>openkbs_audit.usage</c> (same database as the audit trail; the table is created
/// by the journal's migration at start). One upsert per call: a day already kept is replaced by the newer reading, so the
/// current day grows through the day and a past day settles to CloudWatch's final figure; a day older than
/// <see cref="AuditSchema.UsageSettleDays"/> is left as it is (the database refuses to change it). Kept by month (<c>period</c>
/// <c>yyyy-MM</c>); never deleted by the operator (its role has no DELETE; only the retention purge removes whole months).
/// </summary>
public sealed class PostgresUsageLedger : IUsageLedger, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresUsageLedger(IOptions<AuditStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Value.IsConfigured)
        {
            throw new InvalidOperationException("AuditStore:ConnectionString is not set.");
        }

        _dataSource = NpgsqlDataSource.Create(PostgresAuditJournal.WithTimeouts(options.Value.ConnectionString!, options.Value.TimeoutSeconds));
    }

    public async Task RecordAsync(UsageOwner owner, IReadOnlyList<UsageFigure> figures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(figures);
        if (figures.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO openkbs_audit.usage (namespace, project, period, day, kind, resource, metric, value, unit, account_id)
            SELECT $1, $2, to_char(f.day, 'YYYY-MM'), f.day, f.kind, f.resource, f.metric, f.value, f.unit, $3
            FROM unnest($4::date[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[]) AS f(day, kind, resource, metric, value, unit)
            ON CONFLICT (namespace, project, day, kind, resource, metric)
            DO UPDATE SET value = excluded.value, unit = excluded.unit, account_id = excluded.account_id, collected_at = clock_timestamp()
            WHERE usage.day >= (clock_timestamp() AT TIME ZONE 'UTC')::date - $10
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.Namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.Project });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)owner.AccountId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = [.. figures.Select(f => f.Day)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. figures.Select(f => f.Kind)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. figures.Select(f => f.Resource)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. figures.Select(f => f.Metric)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. figures.Select(f => f.Value)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. figures.Select(f => f.Unit)] });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AuditSchema.UsageSettleDays });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DateTimeOffset?> LastCollectedAsync(string @namespace, string project, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT max(collected_at) FROM openkbs_audit.usage WHERE namespace = $1 AND project = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = @namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = project });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public async Task<IReadOnlyList<UsageFigure>> PeriodAsync(string @namespace, string project, string period, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT day, kind, resource, metric, value, unit FROM openkbs_audit.usage WHERE namespace = $1 AND project = $2 AND period = $3 ORDER BY day, kind, resource, metric",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = @namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = project });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = period });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var figures = new List<UsageFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            figures.Add(new UsageFigure
            {
                Day = reader.GetFieldValue<DateOnly>(0),
                Kind = reader.GetString(1),
                Resource = reader.GetString(2),
                Metric = reader.GetString(3),
                Value = reader.GetDouble(4),
                Unit = reader.GetString(5),
            });
        }

        return figures;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
