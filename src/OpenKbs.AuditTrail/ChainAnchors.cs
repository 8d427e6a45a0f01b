using System.Globalization;
using Npgsql;

namespace OpenKbs.AuditTrail;

/// <summary>
/// A checkpoint of one chain's head written outside the database (a signed tree head in Certificate Transparency's terms, a digest
/// in QLDB's): the chain (<see cref="Audit"/> or <see cref="Incident"/>), the sequence of its newest row, that row's hash and when it
/// was taken. A chain shorter than a checkpoint, or whose row at the checkpoint's sequence has another hash, was cut or rewritten
/// after the checkpoint, which the hash chain alone cannot show (deleting the newest rows leaves a consistent chain).
/// </summary>
public sealed record ChainAnchor(string Chain, long Sequence, byte[] Hash, DateTimeOffset Time)
{
    /// <summary>The audit records' chain (<c>openkbs_audit.record</c>, <see cref="AuditChainVerifier"/>).</summary>
    public const string Audit = "audit";

    /// <summary>The incident rows' chain (<c>incident</c> and <c>incident_change</c>, <see cref="IncidentChain"/>).</summary>
    public const string Incident = "incident";

    /// <summary>The checkpoint's time as reports show it.</summary>
    public string When => Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Where checkpoints are written: write-once storage outside the audit database (<see cref="S3AnchorSink"/>: an S3 bucket with
/// Object Lock). One interface, so another sink (a ConfigMap, a transparency log) can be added.
/// </summary>
public interface IChainAnchorSink
{
    /// <summary>Where the checkpoints go, as reports name it (e.g. <c>s3://bucket/prefix (COMPLIANCE, 400 days)</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Why this sink cannot take checkpoints (a missing bucket, no Object Lock, a region outside the EU), or null when it can. The
    /// operator refuses every AWS change while there is a problem (<see cref="PostgresAuditJournal"/>), as when the store is unreachable.
    /// </summary>
    Task<string?> ProblemAsync(CancellationToken cancellationToken);

    /// <summary>Writes a checkpoint; writing the same checkpoint twice is not an error.</summary>
    Task WriteAsync(ChainAnchor anchor, CancellationToken cancellationToken);

    /// <summary>The newest checkpoints of <paramref name="chain"/> (highest sequence first), at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<ChainAnchor>> NewestAsync(string chain, int count, CancellationToken cancellationToken);
}

/// <summary>What the comparison of a chain with its checkpoints found (<see cref="ChainAnchoring"/>).</summary>
public sealed record AnchorCheck
{
    /// <summary>No checkpoint contradicts the chain.</summary>
    public required bool Consistent { get; init; }

    /// <summary>Broken: the sequence where (for a truncation, the first missing one).</summary>
    public long? BrokenAt { get; init; }

    /// <summary><c>truncated</c>, <c>changed</c> or <c>deleted</c> (broken only).</summary>
    public string? Problem { get; init; }

    /// <summary>What a human reads (the newest checkpoint checked, or the break).</summary>
    public required string Message { get; init; }
}

/// <summary>Compares a chain in the store with its newest checkpoints (<see cref="IChainAnchorSink.NewestAsync"/>).</summary>
public static class ChainAnchoring
{
    /// <summary>How many of the newest checkpoints each verification compares the chain with.</summary>
    public const int Compared = 10;

    /// <summary>
    /// Each checkpoint (newest first) against the chain: the chain must reach its sequence (else <c>truncated</c>) and hold there a
    /// row with its hash (else <c>changed</c>, or <c>deleted</c> for a gap). Audit records purged by retention are not compared.
    /// </summary>
    public static async Task<AnchorCheck> CompareAsync(string connectionString, string chain, IReadOnlyList<ChainAnchor> anchors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (anchors.Count == 0)
        {
            return new AnchorCheck { Consistent = true, Message = "no checkpoint written yet" };
        }

        var audit = chain == ChainAnchor.Audit;
        var row = audit ? "record" : "chain row";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var head = await ScalarAsync(
            connection,
            audit
                ? "SELECT coalesce(max(seq), 0) FROM openkbs_audit.record"
                : "SELECT coalesce(max(s), 0) FROM (SELECT max(chain_seq) AS s FROM openkbs_audit.incident UNION ALL SELECT max(chain_seq) FROM openkbs_audit.incident_change) h",
            cancellationToken);
        var purged = audit ? await ScalarAsync(connection, "SELECT coalesce(max(purged_through), 0) FROM openkbs_audit.purge_log", cancellationToken) : 0;
        var hashes = new Dictionary<long, byte[]>();
        await using (var command = new NpgsqlCommand(
            audit
                ? "SELECT seq, hash FROM openkbs_audit.record WHERE seq = ANY($1)"
                : "SELECT chain_seq, hash FROM openkbs_audit.incident WHERE chain_seq = ANY($1) UNION ALL SELECT chain_seq, hash FROM openkbs_audit.incident_change WHERE chain_seq = ANY($1)",
            connection))
        {
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. anchors.Select(a => a.Sequence)] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hashes[reader.GetInt64(0)] = reader.GetFieldValue<byte[]>(1);
            }
        }

        foreach (var anchor in anchors.OrderByDescending(a => a.Sequence))
        {
            if (anchor.Sequence > head)
            {
                return new AnchorCheck
                {
                    Consistent = false,
                    BrokenAt = head + 1,
                    Problem = "truncated",
                    Message = $"truncated after {row} {head}: the checkpoint of {anchor.When} saw the chain reach {row} {anchor.Sequence} (head {Short(anchor.Hash)})",
                };
            }

            if (anchor.Sequence <= purged)
            {
                continue; // purged by retention: nothing left to compare
            }

            if (!hashes.TryGetValue(anchor.Sequence, out var hash))
            {
                return new AnchorCheck
                {
                    Consistent = false,
                    BrokenAt = anchor.Sequence,
                    Problem = "deleted",
                    Message = $"{row} {anchor.Sequence} is missing, though the checkpoint of {anchor.When} saw it",
                };
            }

            if (!hash.AsSpan().SequenceEqual(anchor.Hash))
            {
                return new AnchorCheck
                {
                    Consistent = false,
                    BrokenAt = anchor.Sequence,
                    Problem = "changed",
                    Message = $"{row} {anchor.Sequence} differs from the checkpoint of {anchor.When} (hash {Short(hash)}, checkpoint {Short(anchor.Hash)})",
                };
            }
        }

        var newest = anchors.MaxBy(a => a.Sequence)!;
        return new AnchorCheck
        {
            Consistent = true,
            Message = $"consistent with {anchors.Count} checkpoint(s), the newest of {newest.When} at {row} {newest.Sequence}",
        };
    }

    /// <summary>The audit chain's report against its checkpoints: an intact chain the checkpoints contradict is broken.</summary>
    public static async Task<AuditChainReport> CheckAsync(string connectionString, AuditChainReport report, IChainAnchorSink? sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (sink is null)
        {
            return report with { Anchoring = NotAnchored };
        }

        if (!report.Intact)
        {
            return report;
        }

        var check = await CompareAsync(connectionString, ChainAnchor.Audit, await sink.NewestAsync(ChainAnchor.Audit, Compared, cancellationToken), cancellationToken);
        return check.Consistent
            ? report with { Anchoring = $"anchored in {sink.Description}: {check.Message}" }
            : report with
            {
                Intact = false,
                BrokenAt = check.BrokenAt,
                Problem = check.Problem,
                Namespace = null,
                Head = null,
                Anchoring = $"anchored in {sink.Description}",
                Message = $"chain broken at record {check.BrokenAt} ({check.Problem}): {check.Message}",
            };
    }

    /// <summary>The incident chain's report against its checkpoints.</summary>
    public static async Task<IncidentChainReport> CheckAsync(string connectionString, IncidentChainReport report, IChainAnchorSink? sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (sink is null)
        {
            return report with { Anchoring = NotAnchored };
        }

        if (!report.Intact)
        {
            return report;
        }

        var check = await CompareAsync(connectionString, ChainAnchor.Incident, await sink.NewestAsync(ChainAnchor.Incident, Compared, cancellationToken), cancellationToken);
        return check.Consistent
            ? report with { Anchoring = $"anchored in {sink.Description}: {check.Message}" }
            : report with
            {
                Intact = false,
                BrokenRow = $"chain row {check.BrokenAt}",
                Problem = check.Problem,
                Head = null,
                Anchoring = $"anchored in {sink.Description}",
                Message = $"incident chain broken at chain row {check.BrokenAt} ({check.Problem}): {check.Message}",
            };
    }

    /// <summary>Throws <see cref="AnchorUnusableException"/> with the sink's problem (<see cref="IChainAnchorSink.ProblemAsync"/>); no sink: nothing to check.</summary>
    public static async Task EnsureUsableAsync(IChainAnchorSink? sink, CancellationToken cancellationToken)
    {
        if (sink is not null && await sink.ProblemAsync(cancellationToken) is { } problem)
        {
            throw new AnchorUnusableException(problem);
        }
    }

    /// <summary>What reports say when no sink is configured: the one tampering the chain cannot show.</summary>
    public const string NotAnchored =
        "not anchored: no checkpoint sink is configured (AuditStore:AnchorBucket), so deleting the newest records cannot be detected";

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string Short(byte[] hash) => Convert.ToHexStringLower(hash)[..16];
}
