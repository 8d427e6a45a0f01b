using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.Audit;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.Moto;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// The chains' heads anchored outside the database (<see cref="S3AnchorSink"/>, an S3 bucket with Object Lock, here moto; the
/// store a real PostgreSQL): deleting the newest records leaves a chain that verifies intact on its own, and only the checkpoints
/// show it (truncated); a chain rebuilt after a checkpoint differs from it; the incident chain likewise; moto refuses to delete a
/// locked checkpoint; without a sink, reports say the chain is not anchored.
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class AnchorTests(AuditStoreFixture store, MotoServerFixture moto)
{
    [Fact]
    public async Task Deleting_the_newest_records_after_a_checkpoint_is_detected_as_truncation_and_opens_the_incident()
    {
        var (options, bucket) = await StoreAsync();
        long anchored;
        await using (var provider = await Services(options, bucket))
        {
            await AppendAsync(provider.GetRequiredService<PostgresAuditJournal>(), pairs: 3);
            var first = await provider.GetRequiredService<AuditChainWatch>().RunOnceAsync(CancellationToken.None);
            Assert.True(first.Intact, first.Message);
            Assert.StartsWith("anchored in s3://" + bucket, first.Anchoring, StringComparison.Ordinal);
            anchored = first.LastSequence;
            Assert.Equal(6, anchored);
        }

        // Records 5 onwards deleted (the superuser, triggers off): what remains is a consistent chain 1..4.
        await TamperAsync(options, "DELETE FROM openkbs_audit.record WHERE seq >= 5");
        var alone = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(alone.Intact, "the hash chain alone cannot see a cut tail");
        Assert.Equal(4, alone.LastSequence);

        // The operator again (a new process, nothing in memory): the whole chain against the checkpoints.
        await using (var provider = await Services(options, bucket))
        {
            var report = await provider.GetRequiredService<AuditChainWatch>().RunOnceAsync(CancellationToken.None);
            Assert.Equal((false, 5L, "truncated"), (report.Intact, report.BrokenAt, report.Problem));
            Assert.Contains($"truncated after record 4: the checkpoint of ", report.Message, StringComparison.Ordinal);
            Assert.Contains($"saw the chain reach record {anchored}", report.Message, StringComparison.Ordinal);
            var incident = Assert.Single(await provider.GetRequiredService<IIncidentRecorder>().OpenIncidentsAsync("-", CancellationToken.None));
            Assert.Equal((IncidentCauses.AuditChainBroken, "AuditTrail/record/5", "truncated"), (incident.Cause, incident.Subject, incident.Details["problem"]));
        }

        // `openkbs audit verify` runs this code: the same verdict.
        await using var reader = await Services(options, bucket);
        var cli = await ChainAnchoring.CheckAsync(options.ConnectionString!, alone, reader.GetRequiredService<IChainAnchorSink>(), CancellationToken.None);
        Assert.Equal((false, "truncated"), (cli.Intact, cli.Problem));
    }

    [Fact]
    public async Task A_chain_rebuilt_after_a_checkpoint_differs_from_it_at_the_checkpoints_record()
    {
        var (options, bucket) = await StoreAsync();
        await using var provider = await Services(options, bucket);
        var journal = provider.GetRequiredService<PostgresAuditJournal>();
        await AppendAsync(journal, pairs: 3);
        Assert.True((await provider.GetRequiredService<AuditChainWatch>().RunOnceAsync(CancellationToken.None)).Intact);

        // The tail replaced by other records appended through the journal: a consistent chain, as long as before, but another one.
        await TamperAsync(options, "DELETE FROM openkbs_audit.record WHERE seq >= 5");
        await AppendAsync(journal, pairs: 3, action: "s3:DeleteBucket");
        var rebuilt = await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(rebuilt.Intact, rebuilt.Message);
        Assert.True(rebuilt.LastSequence >= 8);

        var report = await ChainAnchoring.CheckAsync(options.ConnectionString!, rebuilt, provider.GetRequiredService<IChainAnchorSink>(), CancellationToken.None);
        Assert.Equal((false, 6L, "changed"), (report.Intact, report.BrokenAt, report.Problem));
        Assert.Contains("record 6 differs from the checkpoint of ", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_newest_incident_rows_is_detected_against_the_incident_chains_checkpoint()
    {
        var (options, bucket) = await StoreAsync();
        await using var provider = await Services(options, bucket);
        var recorder = provider.GetRequiredService<IIncidentRecorder>();
        await AppendAsync(provider.GetRequiredService<PostgresAuditJournal>(), pairs: 1);
        await recorder.OpenAsync(Report("ClientAccount/acme"), CancellationToken.None);
        var second = (await recorder.OpenAsync(Report("ClientAccount/other"), CancellationToken.None)).Incident;
        var watch = provider.GetRequiredService<AuditChainWatch>();
        Assert.True((await watch.RunOnceAsync(CancellationToken.None)).Intact);
        Assert.Equal(2, Assert.Single(await provider.GetRequiredService<IChainAnchorSink>().NewestAsync(ChainAnchor.Incident, 10, CancellationToken.None)).Sequence);

        await TamperAsync(options, $"DELETE FROM openkbs_audit.incident_notification WHERE incident = {second.Id}", "incident_notification");
        await TamperAsync(options, $"DELETE FROM openkbs_audit.incident WHERE id = {second.Id}", "incident");
        var alone = await IncidentChain.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(alone.Intact, alone.Message);

        var checkedReport = await ChainAnchoring.CheckAsync(options.ConnectionString!, alone, provider.GetRequiredService<IChainAnchorSink>(), CancellationToken.None);
        Assert.Equal((false, "chain row 2", "truncated"), (checkedReport.Intact, checkedReport.BrokenRow, checkedReport.Problem));
        Assert.Contains("truncated after chain row 1", checkedReport.Message, StringComparison.Ordinal);

        // The watch opens the incident for it (namespace -, subject naming the row).
        await watch.RunOnceAsync(CancellationToken.None);
        Assert.Contains(await recorder.OpenIncidentsAsync("-", CancellationToken.None), i => i.Subject == "AuditTrail/chain row 2" && i.Details["problem"] == "truncated");
    }

    [Fact]
    public async Task Moto_keeps_a_locked_checkpoint_it_refuses_its_deletion_and_a_second_write_of_its_key()
    {
        var (options, bucket) = await StoreAsync();
        await using var provider = await Services(options, bucket);
        var sink = provider.GetRequiredService<IChainAnchorSink>();
        var anchor = new ChainAnchor(ChainAnchor.Audit, 42, System.Security.Cryptography.SHA256.HashData("head"u8), DateTimeOffset.UtcNow);
        await sink.WriteAsync(anchor, CancellationToken.None);
        await sink.WriteAsync(anchor, CancellationToken.None); // the same checkpoint again: refused by S3 (If-None-Match), not an error

        using var s3 = RawS3();
        var versions = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = options.AnchorPrefix })).Versions;
        var version = Assert.Single(versions);
        var retention = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId });
        Assert.Equal(ObjectLockMode.Compliance, retention.ObjectLockMode);
        Assert.True(retention.ObjectLockRetainUntilDate > DateTime.UtcNow.AddDays(399));

        // Compliance mode: the version cannot be deleted, not even with the governance bypass.
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId }));
        Assert.Equal("AccessDenied", refused.ErrorCode);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(
            new DeleteObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId, BypassGovernanceRetention = true }));

        // An overwrite without If-None-Match and a delete marker only add versions: the checkpoint is still read.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = version.Key, ContentBody = "{}" });
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = version.Key });
        var newest = Assert.Single(await sink.NewestAsync(ChainAnchor.Audit, 10, CancellationToken.None));
        Assert.Equal((42L, Convert.ToHexString(anchor.Hash)), (newest.Sequence, Convert.ToHexString(newest.Hash)));
    }

    [Fact]
    public async Task A_bucket_without_object_lock_keeps_every_AWS_change_refused_from_the_start_naming_the_problem()
    {
        var options = await store.NewStoreAsync();
        var bucket = "plain-" + Guid.NewGuid().ToString("N")[..12];
        using (var s3 = RawS3())
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = MotoDefaults.Region });
        }

        await using var provider = await Services(options, bucket);
        var sink = provider.GetRequiredService<IChainAnchorSink>();
        var problem = await sink.ProblemAsync(CancellationToken.None);
        Assert.Equal(
            $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) has no Object Lock, so its checkpoints could be deleted or replaced: "
            + "use a bucket created with Object Lock enabled (create-bucket --object-lock-enabled-for-bucket)",
            problem);

        // Fail closed like an unreachable store: no intent is recorded, so no AWS change is sent, and the refusal says why.
        var refused = await Assert.ThrowsAsync<AuditTrailUnavailableException>(
            () => provider.GetRequiredService<PostgresAuditJournal>().AppendIntentAsync(AuditStoreFixture.Record("iam:CreateRole"), CancellationToken.None).AsTask());
        Assert.Equal($"No AWS change is made while the audit anchor is unusable (iam:CreateRole not sent): {problem}", refused.Message);
        Assert.Equal(0L, await CountAsync(options));

        // A checkpoint is not even sent (its PutObject is refused the same way); the watch's verdict on the chain stands and nothing is anchored.
        await Assert.ThrowsAsync<AuditTrailUnavailableException>(() => sink.WriteAsync(
            new ChainAnchor(ChainAnchor.Audit, 1, new byte[32], DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.True((await provider.GetRequiredService<AuditChainWatch>().RunOnceAsync(CancellationToken.None)).Intact);
        Assert.Empty(await sink.NewestAsync(ChainAnchor.Audit, 10, CancellationToken.None));

        // `openkbs audit verify --anchor-bucket` and the NIS2 report run this check: a clear error instead of a comparison.
        var unusable = await Assert.ThrowsAsync<AnchorUnusableException>(() => ChainAnchoring.EnsureUsableAsync(sink, CancellationToken.None));
        Assert.Equal(problem, unusable.Message);
    }

    [Fact]
    public async Task A_missing_anchor_bucket_keeps_every_AWS_change_refused_naming_the_bucket_and_the_fix()
    {
        var options = await store.NewStoreAsync();
        var bucket = "missing-" + Guid.NewGuid().ToString("N")[..12];
        await using var provider = await Services(options, bucket);

        var refused = await Assert.ThrowsAsync<AuditTrailUnavailableException>(
            () => provider.GetRequiredService<PostgresAuditJournal>().AppendIntentAsync(AuditStoreFixture.Record("s3:CreateBucket"), CancellationToken.None).AsTask());
        Assert.Equal(
            $"No AWS change is made while the audit anchor is unusable (s3:CreateBucket not sent): the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) "
            + $"does not exist in {MotoDefaults.Region}: create it in the management account with Object Lock enabled (create-bucket --object-lock-enabled-for-bucket), "
            + "or correct the name",
            refused.Message);
        Assert.Equal(0L, await CountAsync(options));
    }

    [Fact]
    public async Task With_a_good_anchor_bucket_the_operator_starts_and_records_and_before_its_check_nothing_is_sent()
    {
        var (options, bucket) = await StoreAsync();

        // Built but not started: the bucket is not checked yet, so nothing may be sent.
        await using (var unstarted = Unstarted(options, bucket))
        {
            var early = await Assert.ThrowsAsync<AuditTrailUnavailableException>(
                () => unstarted.GetRequiredService<PostgresAuditJournal>().AppendIntentAsync(AuditStoreFixture.Record("iam:CreateRole"), CancellationToken.None).AsTask());
            Assert.Contains($"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) has not been checked yet", early.Message, StringComparison.Ordinal);
        }

        await using var provider = await Services(options, bucket);
        Assert.Null(await provider.GetRequiredService<IChainAnchorSink>().ProblemAsync(CancellationToken.None));
        await AppendAsync(provider.GetRequiredService<PostgresAuditJournal>(), pairs: 2);
        Assert.Equal(4L, await CountAsync(options));
        var report = await provider.GetRequiredService<AuditChainWatch>().RunOnceAsync(CancellationToken.None);
        Assert.True(report.Intact, report.Message);
        Assert.Equal(4, Assert.Single(await provider.GetRequiredService<IChainAnchorSink>().NewestAsync(ChainAnchor.Audit, 10, CancellationToken.None)).Sequence);
    }

    [Fact]
    public async Task An_anchor_bucket_in_another_region_than_configured_is_refused_naming_both()
    {
        var options = await store.NewStoreAsync();
        var bucket = "elsewhere-" + Guid.NewGuid().ToString("N")[..12];
        var created = await AwsCli.RunAsync(
            moto.Endpoint,
            ["s3api", "create-bucket", "--bucket", bucket, "--region", "eu-west-1", "--create-bucket-configuration", "LocationConstraint=eu-west-1", "--object-lock-enabled-for-bucket"],
            AwsCli.Environment(moto.Endpoint, "eu-west-1"));
        Assert.True(created.ExitCode == 0, created.ToString());

        await using var provider = await Services(options, bucket, ("AuditStore:AnchorRegion", MotoDefaults.Region));
        Assert.Equal(
            $"the anchor bucket s3://{bucket} (AuditStore:AnchorBucket) is in eu-west-1, but the operator writes checkpoints to {MotoDefaults.Region} "
            + "(AuditStore:AnchorRegion): set AuditStore:AnchorRegion to eu-west-1",
            await provider.GetRequiredService<IChainAnchorSink>().ProblemAsync(CancellationToken.None));
    }

    private static async Task<long> CountAsync(AuditStoreOptions options)
    {
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        await using var count = source.CreateCommand("SELECT count(*) FROM openkbs_audit.record");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_governance_checkpoint_is_deleted_only_with_the_bypass()
    {
        var (options, bucket) = await StoreAsync();
        await using var provider = await Services(options, bucket, ("AuditStore:AnchorMode", "Governance"), ("AuditStore:AnchorRetentionDays", "30"));
        await provider.GetRequiredService<IChainAnchorSink>().WriteAsync(
            new ChainAnchor(ChainAnchor.Audit, 7, System.Security.Cryptography.SHA256.HashData("seven"u8), DateTimeOffset.UtcNow), CancellationToken.None);

        using var s3 = RawS3();
        var version = Assert.Single((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = options.AnchorPrefix })).Versions);
        Assert.Equal(ObjectLockMode.Governance, (await s3.GetObjectMetadataAsync(
            new GetObjectMetadataRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId })).ObjectLockMode);
        await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId }));
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId, BypassGovernanceRetention = true });
        Assert.Empty((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = options.AnchorPrefix })).Versions ?? []);
    }

    [Fact]
    public async Task The_running_watch_anchors_at_start_and_again_after_the_configured_number_of_records()
    {
        var (options, bucket) = await StoreAsync();
        await using var provider = await Services(options, bucket, ("AuditStore:AnchorEveryRecords", "100"), ("AuditStore:VerifyInterval", "1.00:00:00"));
        var journal = provider.GetRequiredService<PostgresAuditJournal>();
        await AppendAsync(journal, pairs: 1);
        var watch = provider.GetServices<IHostedService>().OfType<AuditChainWatch>().Single();
        var sink = provider.GetRequiredService<IChainAnchorSink>();
        await watch.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(2, (await UntilAnchoredAsync(sink, 2)).Sequence); // the run at start

            await AppendAsync(journal, pairs: 50); // 100 records: the watch runs before its (daily) interval
            Assert.True((await UntilAnchoredAsync(sink, 100)).Sequence >= 100);
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }

        Assert.True((await ChainAnchoring.CheckAsync(
            options.ConnectionString!, await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None), sink, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Without_a_sink_the_report_says_plainly_that_the_chain_is_not_anchored()
    {
        var options = await store.NewStoreAsync();
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            await AppendAsync(journal, pairs: 1);
        }

        var report = await ChainAnchoring.CheckAsync(options.ConnectionString!, await AuditChainVerifier.VerifyAsync(options.ConnectionString!, CancellationToken.None), null, CancellationToken.None);
        Assert.True(report.Intact);
        Assert.Equal(ChainAnchoring.NotAnchored, report.Anchoring);
        Assert.Contains("deleting the newest records cannot be detected", report.Anchoring, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AuditStore:AnchorBucket", "Not_A_Bucket", "AuditStore:AnchorBucket 'Not_A_Bucket' is not a valid S3 bucket name")]
    [InlineData("AuditStore:AnchorRegion", "us-east-1", "AuditStore:AnchorRegion 'us-east-1' is not an EU member-state region")]
    [InlineData("AuditStore:AnchorMode", "Legal", "AuditStore:AnchorMode must be Compliance or Governance")]
    [InlineData("AuditStore:AnchorRetentionDays", "0", "AuditStore:AnchorRetentionDays must be between 1 and 36500")]
    [InlineData("AuditStore:AnchorEveryRecords", "10", "AuditStore:AnchorEveryRecords must be between 100 and 1000000")]
    [InlineData("AuditStore:AnchorPrefix", "anchors", "AuditStore:AnchorPrefix 'anchors' must be empty or end in '/'")]
    public void A_bad_anchor_setting_is_refused_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = "Host=127.0.0.1;Database=x;Username=y",
            ["AuditStore:AnchorBucket"] = "audit-anchors",
        };
        settings[key] = value;
        using var provider = new ServiceCollection().AddLogging()
            .AddOpenKbsAuditStore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditStoreOptions>>().Value);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    private static async Task<ChainAnchor> UntilAnchoredAsync(IChainAnchorSink sink, long atLeast)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await sink.NewestAsync(ChainAnchor.Audit, 1, CancellationToken.None) is [var newest, ..] && newest.Sequence >= atLeast)
            {
                return newest;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no checkpoint at or after record {atLeast}");
    }

    /// <summary>A new store (migrated) and a new Object Lock bucket in moto.</summary>
    private async Task<(AuditStoreOptions Options, string Bucket)> StoreAsync()
    {
        var options = await store.NewStoreAsync();
        options.AnchorPrefix = "openkbs-audit-anchors/";
        await using (var journal = AuditStoreFixture.Journal(options))
        {
            await journal.InitializeAsync(CancellationToken.None);
        }

        var bucket = "anchors-" + Guid.NewGuid().ToString("N")[..12];
        using var s3 = RawS3();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = MotoDefaults.Region, ObjectLockEnabledForBucket = true });
        return (options, bucket);
    }

    /// <summary>The operator's services on the store and bucket, started as the operator starts them (the store, then the anchor bucket's check).</summary>
    private async Task<ServiceProvider> Services(AuditStoreOptions options, string bucket, params (string Key, string Value)[] more)
    {
        var provider = Unstarted(options, bucket, more);
        await provider.GetServices<IHostedService>().OfType<AuditStoreStartup>().Single().StartAsync(CancellationToken.None);
        return provider;
    }

    private ServiceProvider Unstarted(AuditStoreOptions options, string bucket, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["AuditStore:AnchorBucket"] = bucket };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return AuditStoreFixture.Services(options, moto.Endpoint, new PipelineTests.Probe(() => { }), settings);
    }

    /// <summary>The bucket as its owner (or an attacker with the account's keys) sees it, bypassing the operator.</summary>
    private AmazonS3Client RawS3() => new(
        new BasicAWSCredentials(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey),
        new AmazonS3Config
        {
            ServiceURL = moto.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = MotoDefaults.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    private static async Task AppendAsync(PostgresAuditJournal journal, int pairs, string action = "iam:CreateRole")
    {
        for (var i = 0; i < pairs; i++)
        {
            var intent = await journal.AppendIntentAsync(AuditStoreFixture.Record(action, n: i), CancellationToken.None);
            await journal.AppendOutcomeAsync(intent, AuditStoreFixture.Record(action, AuditOutcome.Success, n: i), CancellationToken.None);
        }
    }

    private static IncidentReport Report(string subject) => new()
    {
        Namespace = "tenants",
        Cause = IncidentCauses.GuardrailDetached,
        Subject = subject,
        Summary = "guard detached",
        DetectedAt = DateTimeOffset.UtcNow,
        Actor = new AwsActor { Controller = "clientaccount", Namespace = "tenants", Kind = "ClientAccount", Name = "acme" },
    };

    /// <summary>What an attacker with the superuser could do: switch the triggers off, change the table, switch them on.</summary>
    private Task TamperAsync(AuditStoreOptions options, string sql, string table = "record") => store.Server.PsqlAsync(
        $"ALTER TABLE openkbs_audit.{table} DISABLE TRIGGER USER; {sql}; ALTER TABLE openkbs_audit.{table} ENABLE TRIGGER USER;",
        new NpgsqlConnectionStringBuilder(options.ConnectionString).Database!);
}
