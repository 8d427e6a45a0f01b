using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>The hash chain: intact under parallel writers; a record changed, deleted or reordered by the superuser is named by the verifier.</summary>
[Collection(AuditStoreCollection.Name)]
public sealed class ChainTests(AuditStoreFixture store)
{
    [Fact]
    public async Task Parallel_writers_in_separate_stores_keep_one_contiguous_chain()
    {
        var options = await store.NewStoreAsync();
        var journals = Enumerable.Range(0, 4).Select(_ => AuditStoreFixture.Journal(options)).ToArray();
        try
        {
            // Each writer starts (migration, recovery) on its first append, while the others already write: none may mark
            // another's in-flight intents Unknown.

            await Task.WhenAll(journals.Select((journal, w) => Task.Run(async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    var intent = await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket", n: (w * 100) + i), CancellationToken.None);
                    await journal.AppendOutcomeAsync(intent, AuditStoreFixture.Record("s3:CreateBucket", AuditOutcome.Success, n: (w * 100) + i), CancellationToken.None);
                }
            })));
        }
        finally
        {
            foreach (var journal in journals)
            {
                await journal.DisposeAsync();
            }
        }

        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(report.Intact, report.Message);
        Assert.Equal((160L, 1L, 160L), (report.Checked, report.FirstSequence, report.LastSequence));
        // Every outcome refers to an intent with the same resource.
        var mismatched = await store.Server.PsqlAsync(
            "SELECT count(*) FROM openkbs_audit.record o JOIN openkbs_audit.record p ON p.seq = o.refers_to WHERE p.resource <> o.resource OR p.outcome <> 'Pending'",
            AppendOnlyTests.Database(options));
        Assert.Equal("0", mismatched.Trim());
    }

    [Fact]
    public async Task A_changed_record_is_named()
    {
        var options = await ChainOfSixAsync();
        await TamperAsync(options, "UPDATE openkbs_audit.record SET details = '{\"bucket\":\"other\"}' WHERE seq = 4");

        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.False(report.Intact);
        Assert.Equal((4L, "changed"), (report.BrokenAt, report.Problem));
    }

    [Fact]
    public async Task A_changed_hash_is_named()
    {
        var options = await ChainOfSixAsync();
        await TamperAsync(options, "UPDATE openkbs_audit.record SET hash = sha256(hash) WHERE seq = 3");

        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.False(report.Intact);
        Assert.Equal((3L, "changed"), (report.BrokenAt, report.Problem));
    }

    [Fact]
    public async Task A_deleted_record_is_named()
    {
        var options = await ChainOfSixAsync();
        await TamperAsync(options, "DELETE FROM openkbs_audit.record WHERE seq = 3");

        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.False(report.Intact);
        Assert.Equal((3L, "deleted"), (report.BrokenAt, report.Problem));
    }

    [Fact]
    public async Task A_deleted_first_record_is_named()
    {
        var options = await ChainOfSixAsync();
        await TamperAsync(options, "DELETE FROM openkbs_audit.record WHERE seq = 1");

        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.Equal((false, 1L, "deleted"), (report.Intact, report.BrokenAt, report.Problem));
    }

    [Fact]
    public async Task Reordered_records_are_named()
    {
        var options = await ChainOfSixAsync();
        await TamperAsync(options, "UPDATE openkbs_audit.record SET seq = 1000 WHERE seq = 4; UPDATE openkbs_audit.record SET seq = 4 WHERE seq = 5; "
            + "UPDATE openkbs_audit.record SET seq = 5 WHERE seq = 1000");

        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.False(report.Intact);
        Assert.Equal((4L, "reordered"), (report.BrokenAt, report.Problem));
    }

    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        var options = await ChainOfSixAsync();
        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(report.Intact, report.Message);
        Assert.Equal(6, report.Checked);
    }

    private async Task<AuditStoreOptions> ChainOfSixAsync()
    {
        var options = await store.NewStoreAsync();
        await using var journal = AuditStoreFixture.Journal(options);
        for (var i = 0; i < 3; i++)
        {
            var intent = await journal.AppendIntentAsync(AuditStoreFixture.Record("iam:CreateRole", n: i), CancellationToken.None);
            await journal.AppendOutcomeAsync(intent, AuditStoreFixture.Record("iam:CreateRole", AuditOutcome.Success, n: i), CancellationToken.None);
        }

        return options;
    }

    /// <summary>What an attacker with the superuser could do: switch the triggers off, change the table, switch them on.</summary>
    private Task TamperAsync(AuditStoreOptions options, string sql) => store.Server.PsqlAsync(
        $"ALTER TABLE openkbs_audit.record DISABLE TRIGGER USER; {sql}; ALTER TABLE openkbs_audit.record ENABLE TRIGGER USER;",
        new NpgsqlConnectionStringBuilder(options.ConnectionString).Database!);
}
