using System.CommandLine;
using Npgsql;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Core;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs audit verify`: checks the audit trail's hash chain and names the first broken record (changed, deleted or
/// reordered), then compares it with the newest checkpoints of its head outside the database (<c>--anchor-bucket</c>; a chain
/// shorter than a checkpoint is <c>truncated</c>); without a bucket the output says the chain is not anchored. Exit code 0 when
/// intact, 1 when broken, 2 when the store (or the bucket) cannot be read, or the bucket cannot hold checkpoints (missing, no Object
/// Lock, outside the EU: <see cref="IChainAnchorSink.ProblemAsync"/>, the check the operator makes at start).
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var connection = AuditStoreConnection.Option();
        var anchorBucket = AuditAnchors.Option();
        var command = new Command("verify", "Check the audit trail's hash chain and its checkpoints; name the first changed, deleted, reordered or truncated record.")
        {
            connection, anchorBucket,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (anchors, owner) = AuditAnchors.Open(parseResult.GetValue(anchorBucket));
            await using var disposing = owner;
            return await RunAsync(parseResult.GetValue(connection), Console.Out, Console.Error, anchors, cancellationToken);
        });
        return command;
    }

    /// <summary>The chain, without checkpoints (the output says it is not anchored).</summary>
    public static Task<int> RunAsync(string? connectionString, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(connectionString, output, error, null, cancellationToken);

    /// <summary>The chain, then (with <paramref name="anchors"/>) the chain against its newest checkpoints; without, the output says it is not anchored.</summary>
    public static Task<int> RunAsync(string? connectionString, TextWriter output, TextWriter error, IChainAnchorSink? anchors, CancellationToken cancellationToken) =>
        VerifyAsync("audit verify", connectionString, async (cs, ct) =>
        {
            await ChainAnchoring.EnsureUsableAsync(anchors, ct);
            var report = await ChainAnchoring.CheckAsync(cs, await AuditChainVerifier.VerifyAsync(cs, ct), anchors, ct);
            return (report.Intact, report.Intact ? $"{report.Message}\n{report.Anchoring}" : report.Message);
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
        catch (AwsServiceException ex)
        {
            await error.WriteLineAsync($"openkbs {verb}: cannot read the chain checkpoints: {ex.Message}");
            return 2;
        }
        catch (AnchorUnusableException ex)
        {
            await error.WriteLineAsync($"openkbs {verb}: {ex.Message}");
            return 2;
        }
    }
}
