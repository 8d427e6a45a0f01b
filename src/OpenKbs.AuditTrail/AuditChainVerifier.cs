using Npgsql;

namespace OpenKbs.AuditTrail;

/// <summary>What <see cref="AuditChainVerifier"/> found.</summary>
public sealed record AuditChainReport
{
    public required bool Intact { get; init; }

    /// <summary>Records checked.</summary>
    public required long Checked { get; init; }

    /// <summary>The first sequence checked (greater than 1 after a retention purge).</summary>
    public long FirstSequence { get; init; }

    public long LastSequence { get; init; }

    /// <summary>The first broken record's sequence (for a gap: the first missing sequence).</summary>
    public long? BrokenAt { get; init; }

    /// <summary><c>changed</c>, <c>deleted</c>, <c>reordered</c> or (against a checkpoint outside the database) <c>truncated</c>.</summary>
    public string? Problem { get; init; }

    /// <summary>The namespace of the record where the break was seen (the broken one, or the first after a gap).</summary>
    public string? Namespace { get; init; }

    /// <summary>Where an intact chain ends (sequence and hash): the start of the next incremental verification.</summary>
    public AuditChainCheckpoint? Head { get; init; }

    /// <summary>What a human reads.</summary>
    public required string Message { get; init; }

    /// <summary>
    /// The comparison with the checkpoints outside the database (<see cref="ChainAnchoring"/>), or <see cref="ChainAnchoring.NotAnchored"/>;
    /// null when not compared.
    /// </summary>
    public string? Anchoring { get; init; }
}

/// <summary>A record verified earlier: its sequence and hash (<see cref="AuditChainVerifier.VerifyAsync(string, AuditChainCheckpoint?, CancellationToken)"/>).</summary>
public sealed record AuditChainCheckpoint(long Sequence, byte[] Hash);

/// <summary>
/// Walks the journal in sequence order and checks each record: sequence contiguous (else <c>deleted</c>: a gap), its previous
/// hash equal to the hash of the record before (else <c>reordered</c> when it is the hash of another record, <c>changed</c>
/// otherwise) and its hash equal to SHA-256 of its canonical encoding (else <c>changed</c>). A chain that starts after 1 is
/// accepted only when <c>purge_log</c> says the records before were purged by retention. Deleting the newest records leaves
/// no gap: the checkpoints written outside the database show that (<see cref="ChainAnchoring.CheckAsync(string, AuditChainReport, IChainAnchorSink?, CancellationToken)"/>).
/// </summary>
public static class AuditChainVerifier
{
    public static Task<AuditChainReport> VerifyAsync(string connectionString, CancellationToken cancellationToken) =>
        VerifyAsync(connectionString, from: null, cancellationToken);

    /// <summary>
    /// Verifies the chain; with <paramref name="from"/> (the head of an earlier intact report) only the records after it, once the
    /// record at <paramref name="from"/> is found unchanged (same hash, content matching it). When retention purged past
    /// <paramref name="from"/>, the whole remaining chain is verified.
    /// </summary>
    public static async Task<AuditChainReport> VerifyAsync(string connectionString, AuditChainCheckpoint? from, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        long purgedThrough;
        await using (var purged = new NpgsqlCommand("SELECT coalesce(max(purged_through), 0) FROM openkbs_audit.purge_log", connection))
        {
            purgedThrough = (long)(await purged.ExecuteScalarAsync(cancellationToken))!;
        }

        if (from is not null && from.Sequence <= purgedThrough)
        {
            from = null;
        }

        StoredAuditRecord? before = null;
        if (from is not null)
        {
            await using var anchor = new NpgsqlCommand($"SELECT {AuditRows.Columns} FROM openkbs_audit.record WHERE seq = $1", connection);
            anchor.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.Sequence });
            await using (var reader = await anchor.ExecuteReaderAsync(cancellationToken))
            {
                before = await reader.ReadAsync(cancellationToken) ? AuditRows.Read(reader) : null;
            }

            if (before is null)
            {
                return Broken(0, from.Sequence, from.Sequence, from.Sequence, "deleted", null, $"record {from.Sequence}, verified before, is missing (deleted)");
            }

            if (!before.Hash.AsSpan().SequenceEqual(from.Hash) || !before.ComputeHash().AsSpan().SequenceEqual(before.Hash))
            {
                return Broken(1, from.Sequence, from.Sequence, from.Sequence, "changed", before.Namespace,
                    $"record {from.Sequence} ({before.Action}) was changed after an earlier verification: its hash or content differs");
            }
        }

        // Every hash (after the anchor) and its sequence, to tell a reordering (a link to some other record) from a change.
        var sequenceOfHash = new Dictionary<string, long>(StringComparer.Ordinal);
        var after = from?.Sequence ?? 0;
        await using (var hashes = new NpgsqlCommand("SELECT seq, hash FROM openkbs_audit.record WHERE seq >= $1", connection))
        {
            hashes.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
            await using var reader = await hashes.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                sequenceOfHash[Convert.ToHexString(reader.GetFieldValue<byte[]>(1))] = reader.GetInt64(0);
            }
        }

        await using var command = new NpgsqlCommand($"SELECT {AuditRows.Columns} FROM openkbs_audit.record WHERE seq > $1 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        long first = from?.Sequence ?? 0;
        long count = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            var row = AuditRows.Read(rows);
            var ns = row.Namespace;
            count++;
            if (before is null)
            {
                first = row.Sequence;
                if (row.Sequence != purgedThrough + 1)
                {
                    return Broken(count, first, row.Sequence, purgedThrough + 1, "deleted", ns,
                        $"record {purgedThrough + 1} is missing: the chain starts at {row.Sequence} but retention purged only through {purgedThrough}");
                }

                if (purgedThrough == 0 && !row.PreviousHash.AsSpan().SequenceEqual(StoredAuditRecord.GenesisHash))
                {
                    return Broken(count, first, row.Sequence, row.Sequence, "changed", ns, $"record {row.Sequence} does not start the chain (previous hash is not the genesis hash)");
                }
            }
            else
            {
                if (row.Sequence != before.Sequence + 1)
                {
                    return Broken(count, first, row.Sequence, before.Sequence + 1, "deleted", ns,
                        $"records {before.Sequence + 1}..{row.Sequence - 1} are missing (deleted) between {before.Sequence} and {row.Sequence}");
                }

                if (!row.PreviousHash.AsSpan().SequenceEqual(before.Hash))
                {
                    return sequenceOfHash.TryGetValue(Convert.ToHexString(row.PreviousHash), out var linked) && linked != before.Sequence
                        ? Broken(count, first, row.Sequence, row.Sequence, "reordered", ns,
                            $"record {row.Sequence} follows record {linked} in the chain, not {before.Sequence}: records were reordered")
                        : Broken(count, first, row.Sequence, row.Sequence, "changed", ns,
                            $"record {row.Sequence} does not link to record {before.Sequence} (its previous hash was changed, or record {before.Sequence} was)");
                }
            }

            if (!row.ComputeHash().AsSpan().SequenceEqual(row.Hash))
            {
                return Broken(count, first, row.Sequence, row.Sequence, "changed", ns, $"record {row.Sequence} ({row.Action}) was changed after it was written: its content does not match its hash");
            }

            before = row;
        }

        var last = before?.Sequence ?? purgedThrough;
        return new AuditChainReport
        {
            Intact = true,
            Checked = count,
            FirstSequence = first,
            LastSequence = last,
            Head = before is null ? null : new AuditChainCheckpoint(before.Sequence, before.Hash),
            Message = before is null
                ? "the audit trail is empty"
                : count == 0
                    ? $"chain intact: no record after {before.Sequence}, head {Convert.ToHexStringLower(before.Hash)}"
                    : $"chain intact: {count} record(s), {first}..{last}, head {Convert.ToHexStringLower(before.Hash)}",
        };
    }

    private static AuditChainReport Broken(long count, long first, long last, long at, string problem, string? @namespace, string message) => new()
    {
        Namespace = @namespace,
        Intact = false,
        Checked = count,
        FirstSequence = first,
        LastSequence = last,
        BrokenAt = at,
        Problem = problem,
        Message = $"chain broken at record {at} ({problem}): {message}",
    };
}
