using System.CommandLine;
using System.Globalization;
using Npgsql;
using OpenKbs.AuditTrail;

namespace OpenKbs.Operator.Commands;

/// <summary>What <c>openkbs usage export</c> was asked for, as typed (checked by <see cref="UsageExportCommand.RunAsync"/>).</summary>
internal sealed record UsageExportQuery(string Namespace, string? Project, string? Period, string? Since, string? Until, bool Daily, string Format);

/// <summary>
/// `openkbs usage export --namespace N [--project P] (--period yyyy-MM | --since D [--until D]) [--daily] [--format jsonl|csv]
/// [--output FILE]`: the namespace's consumption from the audit store, one line per project, month, resource and metric (or per
/// day with --daily), as JSON lines or CSV.
/// </summary>
internal static class UsageExportCommand
{
    public static Command Create(TimeProvider clock)
    {
        var connection = AuditStoreConnection.Option();
        var @namespace = new Option<string>("--namespace", "-n") { Description = "The namespace whose projects' consumption to export.", Required = true };
        var project = new Option<string?>("--project", "-p") { Description = "Only this Project (default: every project of the namespace)." };
        var period = new Option<string?>("--period") { Description = "A calendar month (UTC), e.g. 2026-11. Either --period or --since." };
        var since = new Option<string?>("--since") { Description = "First day (inclusive, UTC), e.g. 2026-11-15." };
        var until = new Option<string?>("--until") { Description = "Last day (exclusive, UTC), e.g. 2026-12-01; default: tomorrow (today included). Only with --since." };
        var daily = new Option<bool>("--daily") { Description = "One line per day instead of one per month total." };
        var format = new Option<string>("--format", "-f") { Description = "jsonl (JSON lines, default) or csv (with a header line).", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var outputFile = new Option<string?>("--output", "-o") { Description = "File to write (default: standard output)." };
        var command = new Command("export", "Export the consumption of a namespace's projects for a month or a range of days as JSON lines or CSV.")
        {
            connection, @namespace, project, period, since, until, daily, format, outputFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var query = new UsageExportQuery(
                parseResult.GetValue(@namespace)!, parseResult.GetValue(project), parseResult.GetValue(period), parseResult.GetValue(since),
                parseResult.GetValue(until), parseResult.GetValue(daily), parseResult.GetValue(format)!);
            var file = parseResult.GetValue(outputFile);
            if (file is null)
            {
                return await RunAsync(parseResult.GetValue(connection), query, clock.GetUtcNow(), Console.Out, Console.Error, cancellationToken);
            }

            // Checked before the file is created, so a bad request leaves nothing behind.
            if (Range(query, clock.GetUtcNow(), out var problem) is null)
            {
                await Console.Error.WriteLineAsync($"openkbs usage export: {problem}");
                return 2;
            }

            await using var writer = new StreamWriter(file);
            return await RunAsync(parseResult.GetValue(connection), query, clock.GetUtcNow(), writer, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        string? connectionString, UsageExportQuery query, DateTimeOffset now, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Range(query, now, out var problem) is not { } range)
        {
            await error.WriteLineAsync($"openkbs usage export: {problem}");
            return 2;
        }

        if (AuditStoreConnection.Resolve(connectionString, "usage export", error) is not { } resolved)
        {
            return 2;
        }

        try
        {
            var format = query.Format == "csv" ? UsageFormat.Csv : UsageFormat.JsonLines;
            var count = await UsageExport.WriteAsync(resolved, query.Namespace, query.Project, range, query.Daily, format, output, cancellationToken);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"exported {count} {(query.Daily ? "daily figure(s)" : "month total(s)")} of namespace {query.Namespace}, {range.From:yyyy-MM-dd} to {range.Until.AddDays(-1):yyyy-MM-dd}"));
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs usage export: cannot read the audit store: {ex.Message}");
            return 2;
        }
    }

    /// <summary>The days asked for, or null with the reason.</summary>
    internal static UsageRange? Range(UsageExportQuery query, DateTimeOffset now, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(query.Namespace))
        {
            problem = "--namespace must not be empty";
            return null;
        }

        if (query.Project is { } p && string.IsNullOrWhiteSpace(p))
        {
            problem = "--project must not be empty";
            return null;
        }

        if (query.Format is not ("jsonl" or "csv"))
        {
            problem = $"--format '{query.Format}' is neither jsonl nor csv";
            return null;
        }

        if ((query.Period is null) == (query.Since is null))
        {
            problem = "give either --period (e.g. 2026-11) or --since (e.g. 2026-11-15), not both nor neither";
            return null;
        }

        if (query.Period is { } period)
        {
            if (query.Until is not null)
            {
                problem = "--until goes with --since, not with --period";
                return null;
            }

            var month = UsageRange.Month(period);
            problem = month is null ? $"--period '{period}' is not a month (yyyy-MM, e.g. 2026-11)" : string.Empty;
            return month;
        }

        if (!TryParseDay(query.Since!, out var from))
        {
            problem = $"--since '{query.Since}' is not a day (yyyy-MM-dd, e.g. 2026-11-15)";
            return null;
        }

        var until = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        if (query.Until is { } text && !TryParseDay(text, out until))
        {
            problem = $"--until '{text}' is not a day (yyyy-MM-dd, e.g. 2026-12-01)";
            return null;
        }

        if (until <= from)
        {
            problem = $"--until ({until:yyyy-MM-dd}) must be after --since ({from:yyyy-MM-dd})";
            return null;
        }

        return new UsageRange(from, until);
    }

    private static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
