using System.CommandLine;
using System.Globalization;
using Npgsql;
using OpenKbs.AuditTrail;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs audit export --namespace N --since T [--until T] [--output FILE]`: the namespace's audit records in
/// [since, until) as JSON lines, in sequence order (each with its hashes, so a copy can be checked against the chain).
/// </summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var connection = AuditStoreConnection.Option();
        var @namespace = new Option<string>("--namespace", "-n") { Description = "The namespace whose records to export.", Required = true };
        var since = new Option<string>("--since") { Description = "Start (inclusive): ISO 8601 time (UTC unless an offset is given), e.g. 2026-12-01 or 2026-12-01T08:00:00Z.", Required = true };
        var until = new Option<string?>("--until") { Description = "End (exclusive), same format; default: now." };
        var outputFile = new Option<string?>("--output", "-o") { Description = "File to write (default: standard output)." };
        var command = new Command("export", "Export a namespace's audit records for a period as JSON lines.") { connection, @namespace, since, until, outputFile };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetValue(outputFile);
            if (file is null)
            {
                return await RunAsync(
                    parseResult.GetValue(connection), parseResult.GetValue(@namespace)!, parseResult.GetValue(since)!, parseResult.GetValue(until), Console.Out, Console.Error, cancellationToken);
            }

            await using var writer = new StreamWriter(file);
            return await RunAsync(
                parseResult.GetValue(connection), parseResult.GetValue(@namespace)!, parseResult.GetValue(since)!, parseResult.GetValue(until), writer, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        string? connectionString, string @namespace, string since, string? until, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParseTime(since, out var from))
        {
            await error.WriteLineAsync($"openkbs audit export: --since '{since}' is not an ISO 8601 time (e.g. 2026-12-01 or 2026-12-01T08:00:00Z)");
            return 2;
        }

        DateTimeOffset? to = null;
        if (until is not null)
        {
            if (!TryParseTime(until, out var parsed))
            {
                await error.WriteLineAsync($"openkbs audit export: --until '{until}' is not an ISO 8601 time (e.g. 2026-12-31T23:59:59Z)");
                return 2;
            }

            if (parsed <= from)
            {
                await error.WriteLineAsync($"openkbs audit export: --until ({until}) must be after --since ({since})");
                return 2;
            }

            to = parsed;
        }

        if (string.IsNullOrWhiteSpace(@namespace))
        {
            await error.WriteLineAsync("openkbs audit export: --namespace must not be empty");
            return 2;
        }

        if (AuditStoreConnection.Resolve(connectionString, "audit export", error) is not { } resolved)
        {
            return 2;
        }

        try
        {
            var count = await AuditExport.WriteAsync(resolved, @namespace, from, to, output, cancellationToken);
            await error.WriteLineAsync($"exported {count} record(s) of namespace {@namespace}");
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs audit export: cannot read the audit store: {ex.Message}");
            return 2;
        }
    }

    private static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
