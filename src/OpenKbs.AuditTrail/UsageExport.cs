using System.Globalization;
using System.Text.Json;
using Npgsql;
using OpenKbs.Aws.CloudWatch;

namespace OpenKbs.AuditTrail;

/// <summary>One project's consumption of one resource and metric over a period (a month), from the daily figures.</summary>
public sealed record UsageTotal
{
    public required string Namespace { get; init; }

    public required string Project { get; init; }

    public required string Period { get; init; }

    public required string Kind { get; init; }

    public required string Resource { get; init; }

    public required string Metric { get; init; }

    /// <summary>The sum of the days; for <see cref="UsageMetrics.StorageBytes"/> (a level) the latest day's value.</summary>
    public required double Value { get; init; }

    public required string Unit { get; init; }

    /// <summary>Days with a figure.</summary>
    public required int Days { get; init; }

    public required DateOnly FirstDay { get; init; }

    public required DateOnly LastDay { get; init; }

    public string? AccountId { get; init; }
}

/// <summary>Reads the daily consumption figures of a namespace (optionally one project) for a period and writes them out.</summary>
public static class UsageExport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>True for <c>yyyy-MM</c> with a month 01-12.</summary>
    public static bool IsPeriod(string period) =>
        DateTime.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && period.Length == 7;

    /// <summary>The daily figures, ordered by project, day, kind, resource and metric.</summary>
    public static async Task<IReadOnlyList<(string Project, string? AccountId, UsageFigure Figure)>> ReadDaysAsync(
        string connectionString, string @namespace, string? project, string period, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT project, account_id, day, kind, resource, metric, value, unit FROM openkbs_audit.usage
            WHERE namespace = $1 AND period = $2 AND ($3::text IS NULL OR project = $3)
            ORDER BY project, day, kind, resource, metric
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = @namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = period });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)project ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<(string, string?, UsageFigure)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), new UsageFigure
            {
                Day = reader.GetFieldValue<DateOnly>(2),
                Kind = reader.GetString(3),
                Resource = reader.GetString(4),
                Metric = reader.GetString(5),
                Value = reader.GetDouble(6),
                Unit = reader.GetString(7),
            }));
        }

        return days;
    }

    /// <summary>Totals per project, resource and metric (see <see cref="UsageTotal.Value"/>).</summary>
    public static IReadOnlyList<UsageTotal> Totals(string @namespace, string period, IReadOnlyList<(string Project, string? AccountId, UsageFigure Figure)> days) =>
        [.. days.GroupBy(d => (d.Project, d.Figure.Kind, d.Figure.Resource, d.Figure.Metric))
            .Select(g =>
            {
                var ordered = g.OrderBy(d => d.Figure.Day).ToList();
                return new UsageTotal
                {
                    Namespace = @namespace,
                    Project = g.Key.Project,
                    Period = period,
                    Kind = g.Key.Kind,
                    Resource = g.Key.Resource,
                    Metric = g.Key.Metric,
                    Value = g.Key.Metric == UsageMetrics.StorageBytes ? ordered[^1].Figure.Value : Math.Round(ordered.Sum(d => d.Figure.Value), 4),
                    Unit = ordered[^1].Figure.Unit,
                    Days = ordered.Count,
                    FirstDay = ordered[0].Figure.Day,
                    LastDay = ordered[^1].Figure.Day,
                    AccountId = ordered[^1].AccountId,
                };
            })
            .OrderBy(t => t.Project, StringComparer.Ordinal).ThenBy(t => t.Kind, StringComparer.Ordinal)
            .ThenBy(t => t.Resource, StringComparer.Ordinal).ThenBy(t => t.Metric, StringComparer.Ordinal)];

    /// <summary>Writes the period as JSON lines: one line per total, or with <paramref name="daily"/> one per day. Returns how many lines.</summary>
    public static async Task<int> WriteAsync(
        string connectionString, string @namespace, string? project, string period, bool daily, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var days = await ReadDaysAsync(connectionString, @namespace, project, period, cancellationToken);
        var lines = daily
            ? days.Select(d => JsonSerializer.Serialize(
                new { Namespace = @namespace, d.Project, Period = period, d.Figure.Day, d.Figure.Kind, d.Figure.Resource, d.Figure.Metric, d.Figure.Value, d.Figure.Unit, d.AccountId }, Json))
            : Totals(@namespace, period, days).Select(t => JsonSerializer.Serialize(t, Json));
        var count = 0;
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line.AsMemory(), cancellationToken);
            count++;
        }

        return count;
    }
}
