using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>The database itself keeps the journal append-only: the operator's role can insert and read, nothing else; triggers refuse changes even to the owner.</summary>
[Collection(AuditStoreCollection.Name)]
public sealed class AppendOnlyTests(AuditStoreFixture store)
{
    [Theory]
    [InlineData("UPDATE openkbs_audit.record SET outcome = 'Success' WHERE seq = 1")]
    [InlineData("DELETE FROM openkbs_audit.record WHERE seq = 1")]
    [InlineData("TRUNCATE openkbs_audit.record")]
    [InlineData("SELECT openkbs_audit.purge_expired()")]
    [InlineData("ALTER TABLE openkbs_audit.record DISABLE TRIGGER record_append_only")]
    public async Task The_operator_role_cannot_change_or_remove_records(string sql)
    {
        var options = await store.NewStoreAsync();
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket"), CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, refused.SqlState + " " + refused.MessageText);

        await using var count = new NpgsqlCommand("SELECT count(*) FROM openkbs_audit.record WHERE outcome = 'Pending'", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("UPDATE openkbs_audit.record SET outcome = 'Success' WHERE seq = 1")]
    [InlineData("DELETE FROM openkbs_audit.record WHERE seq = 1")]
    [InlineData("TRUNCATE openkbs_audit.record")]
    public async Task Triggers_refuse_changes_even_to_the_owner(string sql)
    {
        var options = await store.NewStoreAsync();
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket"), CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Server.PsqlAsync(sql, Database(options)));
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        Assert.Equal("1", (await store.Server.PsqlAsync("SELECT count(*) FROM openkbs_audit.record", Database(options))).Trim());
    }

    [Fact]
    public async Task The_purge_keeps_every_record_younger_than_the_retention()
    {
        var options = await store.NewStoreAsync(retentionDays: 30);
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            var intent = await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket"), CancellationToken.None);
            await journal.AppendOutcomeAsync(intent, AuditStoreFixture.Record("s3:CreateBucket", AuditOutcome.Success), CancellationToken.None);
        }

        Assert.Equal("0", (await store.Server.PsqlAsync("SELECT openkbs_audit.purge_expired()", Database(options))).Trim());
        // Setting the purge flag by hand does not help either: the trigger checks the age itself.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Server.PsqlAsync(
            "BEGIN; SET LOCAL openkbs_audit.purging = 'on'; DELETE FROM openkbs_audit.record; COMMIT;", Database(options)));
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        var report = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(report.Intact, report.Message);
        Assert.Equal(2, report.Checked);
    }

    [Fact]
    public async Task Details_that_look_like_secrets_are_stored_redacted()
    {
        var options = await store.NewStoreAsync();
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            await journal.AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket"), CancellationToken.None);
        }

        var details = await store.Server.PsqlAsync("SELECT details::text FROM openkbs_audit.record", Database(options));
        Assert.DoesNotContain("must-not-appear", details, StringComparison.Ordinal);
        Assert.Contains(AuditDetails.Redacted, details, StringComparison.Ordinal);
    }

    internal static string Database(AuditStoreOptions options) => new NpgsqlConnectionStringBuilder(options.ConnectionString).Database!;
}
