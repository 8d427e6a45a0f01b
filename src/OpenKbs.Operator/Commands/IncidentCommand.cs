using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs incident list|acknowledge|close --namespace N` and `openkbs incident verify`: the NIS2 Art. 23 incidents the operator
/// opened for a client namespace,
/// with their clocks (early warning 24 h, notification 72 h, final report one month after detection). Acknowledging and closing
/// are rows of their own in the append-only store (each once). Exit code 0 done, 1 refused (unknown, closed or already
/// acknowledged incident: nothing written), 2 bad input or store unreadable.
/// </summary>
internal static partial class IncidentCommand
{
    public static Command Create(TimeProvider clock)
    {
        var command = new Command("incident", "NIS2 Art. 23 incidents of a client namespace and their deadlines: list, acknowledge, close; verify their hash chain.");
        var list = Verb("list", "List the namespace's open incidents (--all: closed ones too) with their Art. 23 deadlines.", out var lns, out var lcs);
        var all = new Option<bool>("--all") { Description = "Include closed incidents." };
        list.Options.Add(all);
        list.SetAction((r, ct) => ListAsync(r.GetValue(lcs), r.GetValue(lns)!, r.GetValue(all), clock.GetUtcNow(), Console.Out, Console.Error, ct));
        command.Subcommands.Add(list);
        foreach (var (verb, action, text) in new[]
        {
            ("acknowledge", IncidentStates.Acknowledged, "Acknowledge an incident: someone took it over (its clock keeps running until it is closed)."),
            ("close", IncidentStates.Closed, "Close an incident (after the final report, or when it turned out not to be one; say why with --note)."),
        })
        {
            var change = Verb(verb, text, out var ns, out var cs);
            var id = new Option<long>("--id") { Description = "The incident's number (see list).", Required = true };
            var by = new Option<string>("--by") { Description = "Who does it (recorded; default: the user name).", DefaultValueFactory = _ => Environment.UserName };
            var note = new Option<string?>("--note") { Description = "Why (recorded; no secrets)." };
            change.Options.Add(id);
            change.Options.Add(by);
            change.Options.Add(note);
            change.SetAction((r, ct) => ChangeAsync(r.GetValue(cs), r.GetValue(ns)!, r.GetValue(id), action, r.GetValue(by)!, r.GetValue(note), clock.GetUtcNow(), Console.Out, Console.Error, ct));
            command.Subcommands.Add(change);
        }

        var connection = AuditStoreConnection.Option();
        var anchorBucket = AuditAnchors.Option();
        var verify = new Command("verify", "Check the hash chain of the incident records (opened, acknowledged, closed) and its checkpoints; name the first changed, deleted or truncated one.")
        {
            connection, anchorBucket,
        };
        verify.SetAction(async (r, ct) =>
        {
            var (anchors, owner) = AuditAnchors.Open(r.GetValue(anchorBucket));
            await using var disposing = owner;
            return await VerifyAsync(r.GetValue(connection), Console.Out, Console.Error, anchors, ct);
        });
        command.Subcommands.Add(verify);
        return command;
    }

    /// <summary>`openkbs incident verify`: exit code 0 when the incident chain is intact, 1 when broken (the first broken row named), 2 when the store cannot be read.</summary>
    public static Task<int> VerifyAsync(string? connectionString, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        VerifyAsync(connectionString, output, error, null, cancellationToken);

    /// <summary>As above, and (with <paramref name="anchors"/>) the chain against its newest checkpoints; without, the output says it is not anchored.</summary>
    public static Task<int> VerifyAsync(string? connectionString, TextWriter output, TextWriter error, IChainAnchorSink? anchors, CancellationToken cancellationToken) =>
        AuditVerifyCommand.VerifyAsync("incident verify", connectionString, async (cs, ct) =>
        {
            await ChainAnchoring.EnsureUsableAsync(anchors, ct);
            var report = await ChainAnchoring.CheckAsync(cs, await IncidentChain.VerifyAsync(cs, ct), anchors, ct);
            return (report.Intact, report.Intact ? $"{report.Message}\n{report.Anchoring}" : report.Message);
        }, output, error, cancellationToken);

    public static async Task<int> ListAsync(
        string? connectionString, string @namespace, bool includeClosed, DateTimeOffset now, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!Valid(@namespace, "incident list", error) || AuditStoreConnection.Resolve(connectionString, "incident list", error) is not { } resolved)
        {
            return 2;
        }

        try
        {
            await using var source = NpgsqlDataSource.Create(resolved);
            var incidents = await PostgresIncidentStore.ListAsync(source, @namespace, includeClosed, cancellationToken);
            if (incidents.Count == 0)
            {
                await output.WriteLineAsync($"no {(includeClosed ? string.Empty : "open ")}incident in namespace {@namespace}");
                return 0;
            }

            foreach (var incident in incidents)
            {
                await output.WriteAsync(Describe(incident, now));
            }

            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs incident list: cannot read the audit store: {ex.Message}");
            return 2;
        }
    }

    public static async Task<int> ChangeAsync(
        string? connectionString, string @namespace, long id, string action, string by, string? note, DateTimeOffset now, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var verb = action == IncidentStates.Closed ? "incident close" : "incident acknowledge";
        if (!Valid(@namespace, verb, error) || AuditStoreConnection.Resolve(connectionString, verb, error) is not { } resolved)
        {
            return 2;
        }

        if (id < 1 || string.IsNullOrWhiteSpace(by) || by.Length > 200)
        {
            await error.WriteLineAsync($"openkbs {verb}: --id must be a positive incident number and --by a name (at most 200 characters)");
            return 2;
        }

        try
        {
            await using var source = NpgsqlDataSource.Create(resolved);
            var (incident, problem) = await PostgresIncidentStore.ChangeAsync(source, @namespace, id, action, by, note, cancellationToken);
            if (problem is not null)
            {
                await error.WriteLineAsync($"openkbs {verb}: {problem}; nothing written");
                return 1;
            }

            await output.WriteAsync(Describe(incident!, now));
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs {verb}: cannot write to the audit store: {ex.Message}");
            return 2;
        }
    }

    /// <summary>One incident with its clocks, as `list` prints it.</summary>
    public static string Describe(Incident incident, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var text = new StringBuilder();
        text.Append("incident ").Append(incident.Id).Append(' ').Append(incident.State).Append(": ").Append(incident.Cause).Append(" of ").Append(incident.Subject)
            .Append(", detected ").Append(Time(incident.DetectedAt)).Append(" by ").Append(incident.OpenedBy).Append('\n');
        text.Append("  ").Append(incident.Summary).Append('\n');
        foreach (var (name, due) in incident.Deadlines)
        {
            text.Append("  ").Append(name).Append(" due ").Append(Time(due)).Append(" (").Append(Clock(due, now, incident.IsOpen)).Append(")\n");
        }

        if (incident.AcknowledgedAt is { } acknowledged)
        {
            text.Append("  acknowledged ").Append(Time(acknowledged)).Append(" by ").Append(incident.AcknowledgedBy).Append('\n');
        }

        if (incident.CauseClearedAt is { } cleared)
        {
            text.Append("  cause cleared ").Append(Time(cleared)).Append(" (seen by ").Append(incident.CauseClearedBy).Append(": ").Append(incident.CauseClearedHow).Append(')')
                .Append(incident.IsOpen ? "; awaiting closure by a person (openkbs incident close)" : string.Empty).Append('\n');
        }

        if (incident.ClosedAt is { } closed)
        {
            text.Append("  closed ").Append(Time(closed)).Append(" by ").Append(incident.ClosedBy)
                .Append(incident.ClosingNote is { } note ? ": " + note : string.Empty).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>How far a deadline is: "in 23h 59m", "overdue by 2h 0m", or "closed" once the incident is.</summary>
    public static string Clock(DateTimeOffset due, DateTimeOffset now, bool open)
    {
        if (!open)
        {
            return "closed";
        }

        var left = due - now;
        var span = left.Duration();
        var words = span.TotalDays >= 2
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m");
        return left > TimeSpan.Zero ? "in " + words : "overdue by " + words;
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Command Verb(string name, string description, out Option<string> @namespace, out Option<string?> connection)
    {
        @namespace = new Option<string>("--namespace", "-n") { Description = "The client's namespace.", Required = true };
        connection = AuditStoreConnection.Option();
        return new Command(name, description) { @namespace, connection };
    }

    private static bool Valid(string @namespace, string verb, TextWriter error)
    {
        if (!string.IsNullOrEmpty(@namespace) && @namespace.Length <= 63 && NamespacePattern().IsMatch(@namespace))
        {
            return true;
        }

        error.WriteLine($"openkbs {verb}: --namespace '{@namespace}' is not a namespace name (lowercase letters, digits, '-', at most 63)");
        return false;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespacePattern();
}
