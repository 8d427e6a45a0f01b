using System.CommandLine;
using Npgsql;
using OpenKbs.AuditTrail;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs audit verify`: checks the audit trail's hash chain and names the first broken record (changed, deleted or
/// reordered). Exit code 0 when intact, 1 when broken, 2 when the store cannot be read.
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var connection = AuditStoreConnection.Option();
        var command = new Command("verify", "Check the audit trail's hash chain; name the first changed, deleted or reordered record.") { connection };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(connection), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(string? connectionString, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        VerifyAsync("audit verify", connectionString, async (cs, ct) =>
        {
            var report = await AuditChainVerifier.VerifyAsync(cs, ct);
            return (report.Intact, report.Message);
        }, output, error, cancellationToken);

    /// <summary>A chain check as a command (also `incident verify`): the message to output (intact, exit 0) or error (broken, 1); 2 when the store cannot be read.</summary>
    internal static async Task<int> VerifyAsync(
        string verb, string? connectionString, Func<string, CancellationToken, Task<(bool Intact, string Message)>> verify, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verify);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (AuditStoreConnection.Resolve(connectionString, verb, error) is not { } resolved)
        {
            return 2;
        }

        try
        {
            var (intact, message) = await verify(resolved, cancellationToken);
            await (intact ? output : error).WriteLineAsync(message);
            return intact ? 0 : 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs {verb}: cannot read the audit store: {ex.Message}");
            return 2;
        }
    }
}
