using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Testing.Moto;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// The store behind the real AWS pipeline (moto): every mutation is recorded before it is sent and its outcome after; with
/// the store down nothing is sent; a crash between recording and sending leaves an intent the next start marks Unknown.
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class PipelineTests(AuditStoreFixture store, MotoServerFixture moto)
{
    private static readonly AwsActor Actor = new() { Controller = "Project", Namespace = "tenants", Kind = "Project", Name = "shop", Uid = "uid-shop", SpecManager = "kubectl" };

    [Fact]
    public async Task A_mutation_is_recorded_pending_before_it_is_sent_and_its_outcome_after()
    {
        var options = await store.NewStoreAsync();
        var seenByMoto = new List<long>();
        await using var services = Services(options, new Probe(() => seenByMoto.Add(Count(options, "Pending"))));
        var s3 = services.GetRequiredService<IAwsClientFactory>().ForManagement(Actor).S3;
        var bucket = "audit-" + Guid.NewGuid().ToString("N")[..12];

        await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket });
        await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });

        Assert.Equal([1L], seenByMoto.Take(1)); // the intent was in the store when the request reached AWS
        var rows = await RowsAsync(options);
        Assert.Equal(2, rows.Count); // the read (HeadBucket) is not recorded
        Assert.Equal(("s3:CreateBucket", AuditOutcome.Pending, (long?)null), (rows[0].Action, rows[0].Outcome, rows[0].RefersTo));
        Assert.Equal(("s3:CreateBucket", AuditOutcome.Success, (long?)rows[0].Sequence), (rows[1].Action, rows[1].Outcome, rows[1].RefersTo));
        Assert.Equal(("tenants", "shop", "kubectl", "10.0.0.7"), (rows[1].Namespace, rows[1].Name, rows[1].SpecManager, rows[1].SourceIp));
        Assert.True((await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task With_the_store_down_nothing_is_sent_and_the_operator_recovers_when_it_returns()
    {
        var options = await store.NewStoreAsync();
        var sent = 0;
        await using var services = Services(options, new Probe(() => Interlocked.Increment(ref sent)));
        var s3 = services.GetRequiredService<IAwsClientFactory>().ForManagement(Actor).S3;
        await services.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        var bucket = "audit-" + Guid.NewGuid().ToString("N")[..12];

        await store.Server.StopAsync();
        try
        {
            var refused = await Assert.ThrowsAsync<AuditTrailUnavailableException>(() => s3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket }));
            Assert.Contains("s3:CreateBucket", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, sent);
        }
        finally
        {
            await store.Server.StartAsync();
        }

        var missing = await Assert.ThrowsAnyAsync<Exception>(() => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }));
        Assert.DoesNotContain("Audit", missing.GetType().Name, StringComparison.Ordinal);

        await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket });
        await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });
        var rows = await RowsAsync(options);
        Assert.Equal([AuditOutcome.Pending, AuditOutcome.Success], rows.Select(r => r.Outcome));
    }

    [Fact]
    public async Task An_outcome_the_store_missed_is_written_before_the_next_mutation()
    {
        var options = await store.NewStoreAsync();
        var stopOnce = 1;
        // The store dies while the request is on its way to AWS: the call succeeds, its outcome cannot be written.
        await using var services = Services(options, new Probe(() =>
        {
            if (Interlocked.Exchange(ref stopOnce, 0) == 1)
            {
                store.Server.StopAsync().GetAwaiter().GetResult();
            }
        }));
        var journal = services.GetRequiredService<PostgresAuditJournal>();
        var s3 = services.GetRequiredService<IAwsClientFactory>().ForManagement(Actor).S3;
        try
        {
            await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = "audit-" + Guid.NewGuid().ToString("N")[..12] });
            Assert.Equal(1, journal.OwedCount);
            await Assert.ThrowsAsync<AuditTrailUnavailableException>(
                () => s3.CreateBucketAsync(new CreateBucketRequest { BucketName = "audit-" + Guid.NewGuid().ToString("N")[..12] }));
        }
        finally
        {
            await store.Server.StartAsync();
        }

        await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = "audit-" + Guid.NewGuid().ToString("N")[..12] });
        Assert.Equal(0, journal.OwedCount);
        var rows = await RowsAsync(options);
        Assert.Equal([AuditOutcome.Pending, AuditOutcome.Success, AuditOutcome.Pending, AuditOutcome.Success], rows.Select(r => r.Outcome));
        Assert.Equal([null, 1L, null, 3L], rows.Select(r => r.RefersTo));
        Assert.True((await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task A_crash_between_recording_and_sending_is_marked_unknown_at_the_next_start()
    {
        var options = await store.NewStoreAsync();
        await using (var crashed = AuditStoreFixture.Journal(options))
        {
            // The process dies after the intent is durable and before (or while) the request goes out: no outcome.
            await crashed.AppendIntentAsync(AuditStoreFixture.Record("lambda:CreateFunction"), CancellationToken.None);
        }

        await using var next = AuditStoreFixture.Journal(options);
        Assert.Equal(1, await next.InitializeAsync(CancellationToken.None));
        Assert.Equal(0, await next.InitializeAsync(CancellationToken.None));

        var rows = await RowsAsync(options);
        Assert.Equal(2, rows.Count);
        Assert.Equal((AuditOutcome.Unknown, (long?)1, "lambda:CreateFunction", "OutcomeNotRecorded"), (rows[1].Outcome, rows[1].RefersTo, rows[1].Action, rows[1].ErrorCode));
        Assert.True((await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Replicas_starting_together_resolve_each_orphan_once()
    {
        var options = await store.NewStoreAsync();
        await using (var crashed = AuditStoreFixture.Journal(options))
        {
            for (var i = 0; i < 3; i++)
            {
                await crashed.AppendIntentAsync(AuditStoreFixture.Record("iam:CreateRole", n: i), CancellationToken.None);
            }
        }

        var starting = Enumerable.Range(0, 3).Select(_ => AuditStoreFixture.Journal(options)).ToArray();
        var resolved = await Task.WhenAll(starting.Select(j => Task.Run(() => j.InitializeAsync(CancellationToken.None))));
        foreach (var journal in starting)
        {
            await journal.DisposeAsync();
        }

        Assert.Equal(3, resolved.Sum());
        var rows = await RowsAsync(options);
        Assert.Equal([1L, 2L, 3L], rows.Where(r => r.Outcome == AuditOutcome.Unknown).Select(r => r.RefersTo!.Value).Order());
    }

    [Fact]
    public async Task A_starting_writer_leaves_the_intents_of_a_live_writer_alone()
    {
        var options = await store.NewStoreAsync();
        await using var running = AuditStoreFixture.Journal(options);
        var inFlight = await running.AppendIntentAsync(AuditStoreFixture.Record("lambda:CreateFunction"), CancellationToken.None);

        await using (var starting = AuditStoreFixture.Journal(options))
        {
            Assert.Equal(0, await starting.InitializeAsync(CancellationToken.None));
        }

        await running.AppendOutcomeAsync(inFlight, AuditStoreFixture.Record("lambda:CreateFunction", AuditOutcome.Success), CancellationToken.None);
        Assert.Equal([AuditOutcome.Pending, AuditOutcome.Success], (await RowsAsync(options)).Select(r => r.Outcome));
    }

    [Fact]
    public async Task Export_writes_one_namespace_in_a_window_as_json_lines()
    {
        var options = await store.NewStoreAsync();
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket", @namespace: "tenants"), CancellationToken.None);
            await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket", @namespace: "other"), CancellationToken.None);
        }

        using var output = new StringWriter();
        var count = await AuditExport.WriteAsync(options.ConnectionString!, "tenants", DateTimeOffset.UtcNow.AddHours(-1), null, output, CancellationToken.None);
        Assert.Equal(1, count);
        var line = System.Text.Json.JsonDocument.Parse(output.ToString().Trim()).RootElement;
        Assert.Equal(("tenants", 1, "s3:CreateBucket"), (line.GetProperty("namespace").GetString(), line.GetProperty("sequence").GetInt32(), line.GetProperty("action").GetString()));
        using var none = new StringWriter();
        Assert.Equal(0, await AuditExport.WriteAsync(options.ConnectionString!, "tenants", DateTimeOffset.UtcNow.AddHours(1), null, none, CancellationToken.None));
    }

    private ServiceProvider Services(AuditStoreOptions options, DelegatingHandler probe) => AuditStoreFixture.Services(options, moto.Endpoint, probe);

    private static long Count(AuditStoreOptions options, string outcome)
    {
        using var connection = new NpgsqlConnection(Unpooled(options));
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM openkbs_audit.record WHERE outcome = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome });
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<List<StoredAuditRecord>> RowsAsync(AuditStoreOptions options)
    {
        await using var connection = new NpgsqlConnection(Unpooled(options));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {AuditRows.Columns} FROM openkbs_audit.record ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredAuditRecord>();
        while (await reader.ReadAsync())
        {
            rows.Add(AuditRows.Read(reader));
        }

        return rows;
    }

    /// <summary>The superuser's connection without pooling: the tests restart the server, which breaks pooled connections.</summary>
    private static string Unpooled(AuditStoreOptions options) =>
        new NpgsqlConnectionStringBuilder(options.MigrationConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>Runs an action when a request is about to leave for AWS.</summary>
    internal sealed class Probe(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
