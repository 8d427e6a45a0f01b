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

/// <summary>One stored daily figure and whom it belongs to.</summary>
public sealed record UsageDay(string Namespace, string Project, string? AccountId, UsageFigure Figure)
{
    /// <summary>The month the day belongs to, <c>yyyy-MM</c>.</summary>
    public string Period => UsageRange.PeriodOf(Figure.Day);
}

/// <summary>The days <see cref="From"/> (inclusive) to <see cref="Until"/> (exclusive), UTC.</summary>
public sealed record UsageRange(DateOnly From, DateOnly Until)
{
    /// <summary>The month <paramref name="period"/> (<c>yyyy-MM</c>); null when it is not one.</summary>
    public static UsageRange? Month(string period)
    {
        if (period.Length != 7 || !DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return null;
        }

        return new UsageRange(first, first.AddMonths(1));
    }

    public static string PeriodOf(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>The export's output formats.</summary>
public enum UsageFormat
{
    /// <summary>One JSON object per line.</summary>
    JsonLines,

    /// <summary>Comma-separated values with a header line (RFC 4180 quoting).</summary>
    Csv,
}

/// <summary>Reads the daily consumption figures of a namespace (optionally one project) for a range of days and writes them out.</summary>
public static class UsageExport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly string[] TotalColumns = ["namespace", "project", "period", "kind", "resource", "metric", "value", "unit", "days", "firstDay", "lastDay", "accountId"];

    private static readonly string[] DayColumns = ["namespace", "project", "period", "day", "kind", "resource", "metric", "value", "unit", "accountId"];

    /// <summary>True for <c>yyyy-MM</c> with a month 01-12.</summary>
    public static bool IsPeriod(string period) => UsageRange.Month(period) is not null;

    /// <summary>The daily figures of the month <paramref name="period"/>, ordered by project, day, kind, resource and metric.</summary>
    public static Task<IReadOnlyList<UsageDay>> ReadDaysAsync(
        string connectionString, string @namespace, string? project, string period, CancellationToken cancellationToken) =>
        ReadDaysAsync(connectionString, @namespace, project, UsageRange.Month(period) ?? throw new ArgumentException($"'{period}' is not a month (yyyy-MM)", nameof(period)), cancellationToken);

    /// <summary>The daily figures in <paramref name="range"/>, ordered by project, day, kind, resource and metric.</summary>
    public static async Task<IReadOnlyList<UsageDay>> ReadDaysAsync(
        string connectionString, string @namespace, string? project, UsageRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT project, account_id, day, kind, resource, metric, value, unit FROM openkbs_audit.usage
            WHERE namespace = $1 AND day >= $2 AND day < $3 AND ($4::text IS NULL OR project = $4)
            ORDER BY project, day, kind, resource, metric
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = @namespace });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = range.From });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = range.Until });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)project ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<UsageDay>();
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(new UsageDay(@namespace, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), new UsageFigure
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

    /// <summary>Totals per project, month, resource and metric (see <see cref="UsageTotal.Value"/>).</summary>
    public static IReadOnlyList<UsageTotal> Totals(IReadOnlyList<UsageDay> days) =>
        [.. days.GroupBy(d => (d.Namespace, d.Project, d.Period, d.Figure.Kind, d.Figure.Resource, d.Figure.Metric))
            .Select(g =>
            {
                var ordered = g.OrderBy(d => d.Figure.Day).ToList();
                return new UsageTotal
                {
                    Namespace = g.Key.Namespace,
                    Project = g.Key.Project,
                    Period = g.Key.Period,
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
            .OrderBy(t => t.Project, StringComparer.Ordinal).ThenBy(t => t.Period, StringComparer.Ordinal).ThenBy(t => t.Kind, StringComparer.Ordinal)
            .ThenBy(t => t.Resource, StringComparer.Ordinal).ThenBy(t => t.Metric, StringComparer.Ordinal)];

    /// <summary>
    /// Writes the range: one line per month total, or with <paramref name="daily"/> one per day, as JSON lines or CSV (with a
    /// header line). Returns how many figures (lines without the header).
    /// </summary>
    public static async Task<int> WriteAsync(
        string connectionString, string @namespace, string? project, UsageRange range, bool daily, UsageFormat format, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var days = await ReadDaysAsync(connectionString, @namespace, project, range, cancellationToken);
        IEnumerable<string> lines = (daily, format) switch
        {
            (true, UsageFormat.JsonLines) => days.Select(d => JsonSerializer.Serialize(
                new { d.Namespace, d.Project, d.Period, d.Figure.Day, d.Figure.Kind, d.Figure.Resource, d.Figure.Metric, d.Figure.Value, d.Figure.Unit, d.AccountId }, Json)),
            (false, UsageFormat.JsonLines) => Totals(days).Select(t => JsonSerializer.Serialize(t, Json)),
            (true, _) => days.Select(d => Csv(d.Namespace, d.Project, d.Period, Day(d.Figure.Day), d.Figure.Kind, d.Figure.Resource, d.Figure.Metric, Number(d.Figure.Value), d.Figure.Unit, d.AccountId)),
            (false, _) => Totals(days).Select(t => Csv(
                t.Namespace, t.Project, t.Period, t.Kind, t.Resource, t.Metric, Number(t.Value), t.Unit, t.Days.ToString(CultureInfo.InvariantCulture), Day(t.FirstDay), Day(t.LastDay), t.AccountId)),
        };
        if (format == UsageFormat.Csv)
        {
            await output.WriteLineAsync(string.Join(',', daily ? DayColumns : TotalColumns).AsMemory(), cancellationToken);
        }

        var count = 0;
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line.AsMemory(), cancellationToken);
            count++;
        }

        return count;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(params string?[] fields) =>
        string.Join(',', fields.Select(f => f is null ? string.Empty
            : f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
}
