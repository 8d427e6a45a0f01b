using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// The operator's background chain verification (<see cref="AuditChainWatch"/>, wired as the operator wires it): intact, it opens
/// nothing; a record changed by the superuser (triggers off) opens one AuditChainBroken incident naming the first broken record,
/// whether it was verified before (the anchor of the incremental run) or appended since; the watch never throws at the caller.
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class AuditChainWatchTests(AuditStoreFixture store)
{
    [Fact]
    public async Task The_first_run_verifies_the_whole_chain_and_a_later_one_only_what_was_appended()
    {
        var (options, provider, journal, watch) = await StoreAsync(pairs: 3);
        await using var disposing = provider;

        var whole = await watch.RunOnceAsync(CancellationToken.None);
        Assert.True(whole.Intact, whole.Message);
        Assert.Equal((6L, 1L, 6L), (whole.Checked, whole.FirstSequence, whole.LastSequence));
        await AppendAsync(journal, 2);
        var increment = await watch.RunOnceAsync(CancellationToken.None);
        Assert.True(increment.Intact, increment.Message);
        Assert.Equal((4L, 6L, 10L), (increment.Checked, increment.FirstSequence, increment.LastSequence));
        Assert.Empty(await provider.GetRequiredService<IIncidentRecorder>().OpenIncidentsAsync("tenants", CancellationToken.None));
    }

    [Fact]
    public async Task A_record_changed_after_it_was_verified_opens_one_incident_naming_it()
    {
        var (options, provider, _, watch) = await StoreAsync(pairs: 3);
        await using var disposing = provider;
        Assert.True((await watch.RunOnceAsync(CancellationToken.None)).Intact);

        // The head verified last (6) is changed: the incremental run checks it first.
        await TamperAsync(options, "UPDATE openkbs_audit.record SET details = '{\"bucket\":\"other\"}' WHERE seq = 6");
        var broken = await watch.RunOnceAsync(CancellationToken.None);
        Assert.Equal((false, 6L, "changed"), (broken.Intact, broken.BrokenAt, broken.Problem));

        // Seen again (a whole verification now): the same incident, not a second one.
        Assert.False((await watch.RunOnceAsync(CancellationToken.None)).Intact);
        var incident = Assert.Single(await provider.GetRequiredService<IIncidentRecorder>().OpenIncidentsAsync("tenants", CancellationToken.None));
        Assert.Equal((IncidentCauses.AuditChainBroken, "AuditTrail/record/6", "6", "changed"), (incident.Cause, incident.Subject, incident.Details["brokenAt"], incident.Details["problem"]));
        Assert.Contains("chain broken at record 6 (changed)", incident.Summary, StringComparison.Ordinal);
        Assert.Equal("-/Operator/openkbs", incident.OpenedBy);
    }

    [Fact]
    public async Task A_changed_incident_row_opens_an_incident_naming_it()
    {
        var (options, provider, _, watch) = await StoreAsync(pairs: 1);
        await using var disposing = provider;
        var recorder = provider.GetRequiredService<IIncidentRecorder>();
        var opened = (await recorder.OpenAsync(
            new IncidentReport
            {
                Namespace = "tenants",
                Cause = IncidentCauses.GuardrailDetached,
                Subject = "ClientAccount/acme",
                Summary = "guard detached",
                DetectedAt = DateTimeOffset.UtcNow,
                Actor = new AwsActor { Controller = "clientaccount", Namespace = "tenants", Kind = "ClientAccount", Name = "acme" },
            },
            CancellationToken.None)).Incident;
        Assert.True((await watch.RunOnceAsync(CancellationToken.None)).Intact);
        Assert.Empty(await recorder.OpenIncidentsAsync("-", CancellationToken.None));

        await TamperAsync(options, $"UPDATE openkbs_audit.incident SET summary = 'nothing' WHERE id = {opened.Id}", table: "incident");
        await watch.RunOnceAsync(CancellationToken.None);

        var incident = Assert.Single(await recorder.OpenIncidentsAsync("-", CancellationToken.None));
        Assert.Equal((IncidentCauses.AuditChainBroken, $"AuditTrail/incident {opened.Id}"), (incident.Cause, incident.Subject));
        Assert.Contains($"incident chain broken at incident {opened.Id} (changed)", incident.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_deleted_after_the_last_verification_is_named_by_the_incremental_run()
    {
        var (options, provider, journal, watch) = await StoreAsync(pairs: 2);
        await using var disposing = provider;
        Assert.True((await watch.RunOnceAsync(CancellationToken.None)).Intact);
        await AppendAsync(journal, 2);

        await TamperAsync(options, "DELETE FROM openkbs_audit.record WHERE seq = 6");
        var broken = await watch.RunOnceAsync(CancellationToken.None);

        Assert.Equal((false, 6L, "deleted", 2L), (broken.Intact, broken.BrokenAt, broken.Problem, broken.Checked));
        Assert.Equal("AuditTrail/record/6", Assert.Single(await provider.GetRequiredService<IIncidentRecorder>().OpenIncidentsAsync("tenants", CancellationToken.None)).Subject);
    }

    [Fact]
    public async Task The_hosted_watch_runs_at_start_and_survives_an_unreachable_store()
    {
        var options = await store.NewStoreAsync();
        await using (var provider = Services(options))
        {
            var journal = provider.GetRequiredService<PostgresAuditJournal>();
            await AppendAsync(journal, 1);
            await TamperAsync(options, "UPDATE openkbs_audit.record SET action = 'iam:DeleteRole' WHERE seq = 1");
            var watch = provider.GetServices<IHostedService>().OfType<AuditChainWatch>().Single();
            await watch.StartAsync(CancellationToken.None);
            var recorder = provider.GetRequiredService<IIncidentRecorder>();
            for (var i = 0; i < 200 && (await recorder.OpenIncidentsAsync("tenants", CancellationToken.None)).Count == 0; i++)
            {
                await Task.Delay(50);
            }

            await watch.StopAsync(CancellationToken.None);
            Assert.Equal("AuditTrail/record/1", Assert.Single(await recorder.OpenIncidentsAsync("tenants", CancellationToken.None)).Subject);
        }

        // A store that does not answer: the run fails, the hosted service does not.
        var nowhere = new AuditStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=1", OperatorIdentity = "test" };
        using var unreachable = new AuditChainWatch(Options.Create(nowhere), new NoRecorder(), Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditChainWatch>.Instance, TimeProvider.System);
        await unreachable.StartAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(unreachable.ExecuteTask!.IsFaulted);
        await unreachable.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("00:00:30")]
    [InlineData("2.00:00:00")]
    public void A_verify_interval_out_of_range_is_refused_naming_the_setting(string interval)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = "Host=127.0.0.1;Database=x;Username=y",
            ["AuditStore:VerifyInterval"] = interval,
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddOpenKbsAuditStore(configuration).BuildServiceProvider();
        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditStoreOptions>>().Value);
        Assert.Contains("AuditStore:VerifyInterval must be between", refused.Message, StringComparison.Ordinal);
    }

    private static async Task AppendAsync(PostgresAuditJournal journal, int pairs)
    {
        for (var i = 0; i < pairs; i++)
        {
            var intent = await journal.AppendIntentAsync(AuditStoreFixture.Record("iam:CreateRole", n: i), CancellationToken.None);
            await journal.AppendOutcomeAsync(intent, AuditStoreFixture.Record("iam:CreateRole", AuditOutcome.Success, n: i), CancellationToken.None);
        }
    }

    private static ServiceProvider Services(AuditStoreOptions options)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOpenKbsAuditStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = options.ConnectionString,
            ["AuditStore:MigrationConnectionString"] = options.MigrationConnectionString,
            ["AuditStore:TimeoutSeconds"] = "2",
        }).Build());
        return services.BuildServiceProvider();
    }

    /// <summary>What an attacker with the superuser could do: switch the triggers off, change the table, switch them on.</summary>
    private Task TamperAsync(AuditStoreOptions options, string sql, string table = "record") => store.Server.PsqlAsync(
        $"ALTER TABLE openkbs_audit.{table} DISABLE TRIGGER USER; {sql}; ALTER TABLE openkbs_audit.{table} ENABLE TRIGGER USER;",
        new NpgsqlConnectionStringBuilder(options.ConnectionString).Database!);

    /// <summary>A new store wired as the operator wires it, with <paramref name="pairs"/> intent/outcome pairs recorded.</summary>
    private async Task<(AuditStoreOptions Options, ServiceProvider Provider, PostgresAuditJournal Journal, AuditChainWatch Watch)> StoreAsync(int pairs)
    {
        var options = await store.NewStoreAsync();
        var provider = Services(options);
        var journal = provider.GetRequiredService<PostgresAuditJournal>();
        await AppendAsync(journal, pairs);
        return (options, provider, journal, provider.GetRequiredService<AuditChainWatch>());
    }

    private sealed class NoRecorder : IIncidentRecorder
    {
        public Task<IncidentOpening> OpenAsync(IncidentReport report, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");

        public Task<IReadOnlyList<Incident>> OpenIncidentsAsync(string @namespace, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");

        public Task<IReadOnlyList<Incident>> CauseClearedAsync(IncidentClearance clearance, CancellationToken cancellationToken) => throw new InvalidOperationException("not reached");
    }
}
