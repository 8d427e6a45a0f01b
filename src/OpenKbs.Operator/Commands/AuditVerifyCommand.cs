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

    public static async Task<int> RunAsync(string? connectionString, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (AuditStoreConnection.Resolve(connectionString, "audit verify", error) is not { } resolved)
        {
            return 2;
        }

        try
        {
            var report = await AuditChainVerifier.VerifyAsync(resolved, cancellationToken);
            await (report.Intact ? output : error).WriteLineAsync(report.Message);
            return report.Intact ? 0 : 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs audit verify: cannot read the audit store: {ex.Message}");
            return 2;
        }
    }
}
