using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The durable audit journal over PostgreSQL. Every append takes the chain's advisory lock in its transaction, reads the head
/// (last sequence and hash) and inserts the next record(s): chaining is safe under any number of writers, in this process or
/// others. Intents fail closed (<see cref="AuditTrailUnavailableException"/>); outcomes that cannot be written are kept in
/// memory and written, in order, before the next intent is accepted. On first use the schema is migrated and every intent
/// left without outcome by a writer that is gone is resolved with an <see cref="AuditOutcome.Unknown"/> record. A writer is
/// alive while it holds its liveness lock (<see cref="AuditSchema.WriterLockClass"/>, its own id) on a connection of its own,
/// so a starting replica never marks the in-flight calls of a running one. With an anchor bucket configured
/// (<see cref="AuditStoreOptions.AnchorBucket"/>) intents fail closed too until the bucket has passed its check
/// (<see cref="UseAnchorCheck"/>: it exists, has Object Lock, lies in an allowed EU region); a failed check is repeated at most
/// every <see cref="AnchorRecheck"/>, and every intent until then is refused with its message.
/// </summary>
public sealed partial class PostgresAuditJournal : IAuditJournal, IAsyncDisposable
{
    private readonly AuditStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresAuditJournal> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<(long? RefersTo, AuditRecord Record)> _owed = [];
    private readonly int _writer = RandomNumberGenerator.GetInt32(1, int.MaxValue);
    private NpgsqlConnection? _liveness;
    private readonly TimeProvider _time;
    private bool _ready;
    private Func<CancellationToken, Task<string?>>? _anchorCheck;
    private bool _anchorChecked;
    private string? _anchorProblem;
    private DateTimeOffset _anchorCheckedAt;

    public PostgresAuditJournal(IOptions<AuditStoreOptions> options, ILogger<PostgresAuditJournal> logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException("AuditStore:ConnectionString is not set.");
        }

        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(WithTimeouts(_options.ConnectionString!, _options.TimeoutSeconds));
    }

    /// <summary>How long a failed anchor-bucket check stands before the next intent checks again.</summary>
    public static readonly TimeSpan AnchorRecheck = TimeSpan.FromMinutes(1);

    /// <summary>Records were committed (how many): <see cref="AuditChainWatch"/> anchors the head after enough. Must not block.</summary>
    public event Action<int>? Appended;

    /// <summary>Outcomes (and refusals) waiting for the store to return.</summary>
    public int OwedCount
    {
        get
        {
            lock (_owed)
            {
                return _owed.Count;
            }
        }
    }

    /// <summary>Migrates the schema and resolves earlier intents left without outcome; returns how many it marked unknown.</summary>
    public async Task<int> InitializeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await EnsureReadyAsync(cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable("initialize the audit store", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// How the anchor bucket is checked (<see cref="IChainAnchorSink.ProblemAsync"/>; wired at start by the startup service, as the
    /// sink reaches AWS through the layer this journal records for). Until a check passed, no intent is accepted.
    /// </summary>
    public void UseAnchorCheck(Func<CancellationToken, Task<string?>> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        _anchorCheck = check;
    }

    /// <summary>Checks the anchor bucket now (none configured: null); returns the problem that keeps every AWS change refused, or null.</summary>
    public async Task<string?> CheckAnchorAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await AnchorProblemAsync(force: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<long> AppendIntentAsync(AuditRecord intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            if (await AnchorProblemAsync(force: false, cancellationToken) is { } problem)
            {
                throw new AuditTrailUnavailableException($"No AWS change is made while the audit anchor is unusable ({intent.Action} not sent): {problem}");
            }

            await EnsureAliveAsync(cancellationToken);
            List<(long? RefersTo, AuditRecord Record)> owed;
            lock (_owed)
            {
                owed = [.. _owed];
            }

            var rows = owed.Select(o => Row(o.Record, o.RefersTo)).Append(Row(intent, refersTo: null)).ToList();
            var last = await AppendAsync(rows, cancellationToken);
            lock (_owed)
            {
                _owed.RemoveRange(0, owed.Count);
            }

            return last;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            _dataSource.Clear(); // pooled connections to a restarted server are dead: the next attempt opens new ones
            await DropLivenessAsync();
            throw Unavailable($"record {intent.Action} before sending it", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask AppendOutcomeAsync(long intentSequence, AuditRecord outcome, CancellationToken cancellationToken) =>
        AppendOrOweAsync(intentSequence, outcome, cancellationToken);

    public ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken) => AppendOrOweAsync(null, record, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await DropLivenessAsync();
        await _dataSource.DisposeAsync();
        _gate.Dispose();
    }

    internal static string WithTimeouts(string connectionString, int seconds)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Unless the connection string says otherwise: an unreachable store must fail fast (the mutation then waits), not in 15-30 s.
        if (!builder.ContainsKey("Timeout"))
        {
            builder.Timeout = seconds;
        }

        if (!builder.ContainsKey("Command Timeout"))
        {
            builder.CommandTimeout = seconds;
        }

        return builder.ConnectionString;
    }

    private async ValueTask AppendOrOweAsync(long? refersTo, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_owed)
        {
            _owed.Add((refersTo, record));
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            List<(long? RefersTo, AuditRecord Record)> owed;
            lock (_owed)
            {
                owed = [.. _owed];
            }

            if (owed.Count > 0)
            {
                await AppendAsync([.. owed.Select(o => Row(o.Record, o.RefersTo))], cancellationToken);
                lock (_owed)
                {
                    _owed.RemoveRange(0, owed.Count);
                }
            }
        }
        catch (Exception ex) when (IsUnavailable(ex) || ex is OperationCanceledException)
        {
            // Kept: written before the next intent is accepted (which fails closed until then).
            _dataSource.Clear();
            LogOutcomeOwed(_logger, record.Action, record.Outcome, OwedCount, ex.GetType().Name, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Under the gate: the anchor bucket's problem (null: none configured, or checked fine once); a failed check is repeated after <see cref="AnchorRecheck"/>.</summary>
    private async Task<string?> AnchorProblemAsync(bool force, CancellationToken cancellationToken)
    {
        if (!_options.IsAnchored || (_anchorChecked && _anchorProblem is null))
        {
            return null;
        }

        if (_anchorCheck is null)
        {
            return $"the anchor bucket s3://{_options.AnchorBucket} (AuditStore:AnchorBucket) has not been checked yet (the operator is starting)";
        }

        var now = _time.GetUtcNow();
        if (force || !_anchorChecked || now - _anchorCheckedAt >= AnchorRecheck)
        {
            var problem = await _anchorCheck(cancellationToken);
            (_anchorChecked, _anchorProblem, _anchorCheckedAt) = (true, problem, now);
            if (problem is null)
            {
                LogAnchorUsable(_logger, _options.AnchorBucket!);
            }
        }

        return _anchorProblem;
    }

    private Func<long, byte[], StoredAuditRecord> Row(AuditRecord record, long? refersTo) =>
        (sequence, previous) => StoredAuditRecord.From(record, sequence, refersTo, previous, _options.OperatorIdentity);

    /// <summary>Appends rows built from the chain head, under the chain lock, in one transaction; returns the last sequence.</summary>
    private Task<long> AppendAsync(IReadOnlyList<Func<long, byte[], StoredAuditRecord>> rows, CancellationToken cancellationToken) =>
        AppendAsync((_, _) => Task.FromResult(rows), cancellationToken);

    /// <summary>As above, with the rows chosen under the chain lock (so that concurrent recoveries never resolve an intent twice).</summary>
    private async Task<long> AppendAsync(
        Func<NpgsqlConnection, CancellationToken, Task<IReadOnlyList<Func<long, byte[], StoredAuditRecord>>>> choose, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditSchema.ChainLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = await choose(connection, cancellationToken);
        var (sequence, previous) = await HeadAsync(connection, cancellationToken);
        foreach (var build in rows)
        {
            var row = build(++sequence, previous);
            await AuditRows.InsertAsync(connection, row, _writer, cancellationToken);
            previous = row.Hash;
        }

        await transaction.CommitAsync(cancellationToken);
        if (rows.Count > 0)
        {
            Appended?.Invoke(rows.Count);
        }

        return sequence;
    }

    private static async Task<(long Sequence, byte[] Hash)> HeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT seq, hash FROM openkbs_audit.record ORDER BY seq DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : (0, StoredAuditRecord.GenesisHash);
    }

    /// <summary>Under the gate: migrate once, then resolve the intents an earlier process left without outcome.</summary>
    private async Task<int> EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return 0;
        }

        await MigrateAsync(cancellationToken);
        var liveness = await EnsureAliveAsync(cancellationToken);
        var orphans = new List<StoredAuditRecord>();
        var now = _time.GetUtcNow();
        await AppendAsync(
            async (connection, token) =>
            {
                orphans.AddRange(await OrphansAsync(connection, liveness, token));
                return [.. orphans.Select<StoredAuditRecord, Func<long, byte[], StoredAuditRecord>>(pending => (sequence, previous) => Resolve(pending, sequence, previous, now))];
            },
            cancellationToken);
        if (orphans.Count > 0)
        {
            LogResolvedUnknown(_logger, orphans.Count, string.Join(", ", orphans.Take(20).Select(o => $"#{o.Sequence} {o.Action}")));
        }

        _ready = true;
        return orphans.Count;
    }

    /// <summary>
    /// Intents without outcome whose writer is gone (read under the chain lock). A writer that still holds its liveness lock
    /// may yet record the outcome: its intents are left alone.
    /// </summary>
    private async Task<List<StoredAuditRecord>> OrphansAsync(NpgsqlConnection connection, NpgsqlConnection liveness, CancellationToken cancellationToken)
    {
        var candidates = new List<(StoredAuditRecord Row, int Writer)>();
        await using (var command = new NpgsqlCommand(
            $"SELECT {AuditRows.Columns}, p.writer FROM openkbs_audit.record p WHERE p.outcome = 'Pending' "
            + "AND NOT EXISTS (SELECT 1 FROM openkbs_audit.record o WHERE o.refers_to = p.seq) ORDER BY p.seq",
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add((AuditRows.Read(reader), reader.GetInt32(23)));
            }
        }

        var gone = new HashSet<int>();
        foreach (var writer in candidates.Select(c => c.Writer).Distinct().Where(w => w != _writer))
        {
            await using var probe = new NpgsqlCommand(
                $"SELECT pg_try_advisory_lock({AuditSchema.WriterLockClass}, {writer}) AND pg_advisory_unlock({AuditSchema.WriterLockClass}, {writer})", liveness);
            if ((bool)(await probe.ExecuteScalarAsync(cancellationToken))!)
            {
                gone.Add(writer);
            }
        }

        return [.. candidates.Where(c => gone.Contains(c.Writer)).Select(c => c.Row)];
    }

    /// <summary>Holds this writer's liveness lock on a connection of its own (unpooled: closing it must release the lock).</summary>
    private async Task<NpgsqlConnection> EnsureAliveAsync(CancellationToken cancellationToken)
    {
        if (_liveness is { State: System.Data.ConnectionState.Open })
        {
            return _liveness;
        }

        await DropLivenessAsync();
        var unpooled = new NpgsqlConnectionStringBuilder(WithTimeouts(_options.ConnectionString!, _options.TimeoutSeconds)) { Pooling = false };
        var connection = new NpgsqlConnection(unpooled.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AuditSchema.WriterLockClass}, {_writer})", connection);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _liveness = connection;
        return connection;
    }

    private async Task DropLivenessAsync()
    {
        if (_liveness is { } connection)
        {
            _liveness = null;
            await connection.DisposeAsync();
        }
    }

    private StoredAuditRecord Resolve(StoredAuditRecord pending, long sequence, byte[] previous, DateTimeOffset now)
    {
        var row = pending with
        {
            Sequence = sequence,
            Time = StoredAuditRecord.Microseconds(now),
            OperatorIdentity = _options.OperatorIdentity,
            Outcome = AuditOutcome.Unknown,
            ErrorCode = "OutcomeNotRecorded",
            RequestId = null,
            Attempts = 0,
            RefersTo = pending.Sequence,
            PreviousHash = previous,
        };
        return row with { Hash = row.ComputeHash() };
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var runtime = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
        if (string.IsNullOrWhiteSpace(_options.MigrationConnectionString))
        {
            await using var own = await _dataSource.OpenConnectionAsync(cancellationToken);
            if (await AuditSchema.VersionAsync(own, cancellationToken) < AuditSchema.LatestVersion)
            {
                await AuditSchema.MigrateAsync(own, _options.RetentionDays, operatorRole: null, _options.MaintenanceRole, cancellationToken);
            }

            return;
        }

        var owner = new NpgsqlConnectionStringBuilder(WithTimeouts(_options.MigrationConnectionString, _options.TimeoutSeconds));
        await using var connection = new NpgsqlConnection(owner.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var operatorRole = runtime.Username is { } user && !string.Equals(user, owner.Username, StringComparison.Ordinal) ? user : null;
        await AuditSchema.MigrateAsync(connection, _options.RetentionDays, operatorRole, _options.MaintenanceRole, cancellationToken);
    }

    private static bool IsUnavailable(Exception ex) => ex is NpgsqlException or TimeoutException or SocketException or IOException;

    private static AuditTrailUnavailableException Unavailable(string what, Exception ex) =>
        new($"The audit trail could not {what}: {ex.GetType().Name}: {ex.Message}", ex);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Error,
        Message = "Audit store unreachable: the {Outcome} record of {Action} is kept in memory ({Owed} owed) and written before the next AWS change ({Error}: {Message})")]
    private static partial void LogOutcomeOwed(ILogger logger, string action, string outcome, int owed, string error, string message);

    [LoggerMessage(EventId = 4076, Level = LogLevel.Information, Message = "Audit anchor bucket s3://{Bucket} checked: it exists, has Object Lock and lies in an allowed EU region")]
    private static partial void LogAnchorUsable(ILogger logger, string bucket);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Warning,
        Message = "Audit store: {Count} AWS change(s) recorded as pending by an earlier run have no recorded outcome; marked Unknown: {Records}")]
    private static partial void LogResolvedUnknown(ILogger logger, int count, string records);
}
