using System.CommandLine;
using Npgsql;
using OpenKbs.AuditTrail;
using OpenKbs.Operator.Nis2;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs nis2 check FILE`: recomputes a NIS2 report's seal (Markdown or JSON) and looks it up in the audit store, where
/// `nis2 report` listed it. Exit code 0 when the content matches its seal and the seal is listed; 1 when the content was changed
/// or the seal was never listed; 2 when the file is not a sealed report or the store cannot be read.
/// </summary>
internal static class Nis2Check
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The report file (Markdown or JSON) to check." };
        var connection = AuditStoreConnection.Option();
        var command = new Command("check", "Check a copy of a NIS2 report: its content against its seal, and the seal against the audit store.") { file, connection };
        command.SetAction((r, ct) => RunAsync(r.GetValue(connection), r.GetValue(file)!, Console.Out, Console.Error, ct));
        return command;
    }

    /// <summary>The seal a report claims and the one its content gives (either format), or null when it carries none.</summary>
    public static (string Claimed, string Actual)? SealOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf(Nis2Markdown.SealPrefix, StringComparison.Ordinal);
        return at >= 0 && (at == 0 || text[at - 1] == '\n')
            ? (text[(at + Nis2Markdown.SealPrefix.Length)..].Trim(), Nis2Markdown.Seal(text[..at]))
            : Nis2Json.Check(text);
    }

    public static async Task<int> RunAsync(string? connectionString, string path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"openkbs nis2 check: no file {path}");
            return 2;
        }

        if (SealOf(await File.ReadAllTextAsync(path, cancellationToken)) is not { } seal)
        {
            await error.WriteLineAsync($"openkbs nis2 check: {path} carries no NIS2 report seal");
            return 2;
        }

        if (!string.Equals(seal.Claimed, seal.Actual, StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"openkbs nis2 check: {path} was changed: its content gives {seal.Actual}, its seal says {seal.Claimed}");
            return 1;
        }

        if (AuditStoreConnection.Resolve(connectionString, "nis2 check", error) is not { } resolved)
        {
            return 2;
        }

        try
        {
            await using var source = NpgsqlDataSource.Create(resolved);
            if (await PostgresIncidentStore.FindSealAsync(source, seal.Actual, cancellationToken) is not { } listed)
            {
                await error.WriteLineAsync($"openkbs nis2 check: the content matches its seal {seal.Actual}, but the audit store never listed it: not a report the operator's store knows");
                return 1;
            }

            await output.WriteLineAsync($"{path}: unchanged; seal {seal.Actual} listed for namespace {listed.Namespace} ({listed.Report}), generated {Nis2Assessment.Time(listed.GeneratedAt.UtcDateTime)}, recorded {Nis2Assessment.Time(listed.RecordedAt.UtcDateTime)}");
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs nis2 check: cannot read the audit store: {ex.Message}");
            return 2;
        }
    }
}
