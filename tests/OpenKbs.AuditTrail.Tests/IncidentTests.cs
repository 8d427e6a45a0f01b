using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// NIS2 Art. 23 incident records in a real PostgreSQL store (operator role, migrations as the owner): one open incident per
/// namespace, cause and subject however many passes (or replicas) see the change; append-only for the operator's role; acknowledge
/// and close once each; and the webhook notification against a local HttpListener: delivered with the deadlines and no secret,
/// retried with backoff on 5xx, given up on 4xx, never blocking the caller.
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class IncidentTests(AuditStoreFixture store)
{
    private static readonly DateTimeOffset Detected = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_same_cause_opens_one_incident_while_it_is_open_even_from_parallel_passes()
    {
        var options = await NewStoreAsync();
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);

        var openings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None)));

        Assert.Single(openings, o => o.Opened);
        Assert.Single(openings.Select(o => o.Incident.Id).Distinct());
        var incident = openings[0].Incident;
        Assert.Equal((Detected.AddHours(24), Detected.AddHours(72), Detected.AddMonths(1)), (incident.EarlyWarningDue, incident.NotificationDue, incident.ReportDue));
        Assert.Equal("[redacted]", Assert.Single(await PostgresIncidentStore.ListAsync(source, "tenants", false, CancellationToken.None)).Details["secretToken"]);

        // Another subject, and another namespace, are other incidents.
        Assert.True((await PostgresIncidentStore.OpenAsync(source, Report("tenants") with { Subject = "ClientAccount/other" }, "op", CancellationToken.None)).Opened);
        Assert.True((await PostgresIncidentStore.OpenAsync(source, Report("others"), "op", CancellationToken.None)).Opened);

        // Closed: the same cause seen again opens a new one.
        var (closed, problem) = await PostgresIncidentStore.ChangeAsync(source, "tenants", incident.Id, IncidentStates.Closed, "alice", "reported to the CSIRT", CancellationToken.None);
        Assert.Null(problem);
        Assert.Equal((IncidentStates.Closed, "alice", "reported to the CSIRT"), (closed!.State, closed.ClosedBy, closed.ClosingNote));
        var again = await PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None);
        Assert.True(again.Opened);
        Assert.NotEqual(incident.Id, again.Incident.Id);
        Assert.Equal(3, (await PostgresIncidentStore.ListAsync(source, "tenants", includeClosed: true, CancellationToken.None)).Count);
        Assert.Equal(2, (await PostgresIncidentStore.ListAsync(source, "tenants", includeClosed: false, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_occurrence_a_person_closed_is_not_opened_again_but_a_new_occurrence_is()
    {
        var options = await NewStoreAsync();
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        var critical = Report("tenants") with { Cause = IncidentCauses.CriticalFinding, Subject = "Project/shop", Occurrence = "AuditRun/shop-1/sha256/ab" };
        var opened = await PostgresIncidentStore.OpenAsync(source, critical, "op", CancellationToken.None);
        Assert.True(opened.Opened);
        Assert.Equal("AuditRun/shop-1/sha256/ab", opened.Incident.Details[PostgresIncidentStore.OccurrenceKey]);
        Assert.Null((await PostgresIncidentStore.ChangeAsync(source, "tenants", opened.Incident.Id, IncidentStates.Closed, "alice", "accepted risk", CancellationToken.None)).Error);

        var same = await PostgresIncidentStore.OpenAsync(source, critical, "op", CancellationToken.None);
        Assert.Equal((false, opened.Incident.Id, false), (same.Opened, same.Incident.Id, same.Incident.IsOpen));
        var next = await PostgresIncidentStore.OpenAsync(source, critical with { Occurrence = "AuditRun/shop-2/sha256/ab" }, "op", CancellationToken.None);
        Assert.True(next.Opened);
        Assert.NotEqual(opened.Incident.Id, next.Incident.Id);
    }

    [Fact]
    public async Task Acknowledging_and_closing_happen_once_each_and_only_in_the_incidents_namespace()
    {
        var options = await NewStoreAsync();
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        var id = (await PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None)).Incident.Id;

        Assert.Equal($"no incident {id} in namespace others", (await PostgresIncidentStore.ChangeAsync(source, "others", id, IncidentStates.Closed, "bob", null, CancellationToken.None)).Error);
        var (acknowledged, none) = await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Acknowledged, "alice", null, CancellationToken.None);
        Assert.Null(none);
        Assert.Equal(IncidentStates.Acknowledged, acknowledged!.State);
        Assert.Contains("already acknowledged", (await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Acknowledged, "bob", null, CancellationToken.None)).Error, StringComparison.Ordinal);
        Assert.Null((await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Closed, "alice", null, CancellationToken.None)).Error);
        Assert.Contains("was closed", (await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Closed, "bob", null, CancellationToken.None)).Error, StringComparison.Ordinal);
        Assert.Equal("2", (await store.Server.PsqlAsync($"SELECT count(*) FROM openkbs_audit.incident_change WHERE incident = {id}", Database(options))).Trim());
    }

    [Fact]
    public async Task The_cause_cleared_is_recorded_once_in_the_chain_and_the_outbox_the_incident_stays_open_and_a_recurrence_is_a_new_incident()
    {
        var options = await NewStoreAsync();
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        var incident = (await PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None)).Incident;
        var other = (await PostgresIncidentStore.OpenAsync(source, Report("tenants") with { Subject = "ClientAccount/other" }, "op", CancellationToken.None)).Incident;
        var clearance = new IncidentClearance
        {
            Namespace = "tenants",
            Cause = IncidentCauses.GuardrailDetached,
            Subject = "ClientAccount/acme",
            How = "region guard re-attached by the operator",
            Actor = new AwsActor { Controller = "clientaccount", Namespace = "tenants", Kind = "ClientAccount", Name = "acme" },
        };

        var marked = Assert.Single(await PostgresIncidentStore.CauseClearedAsync(source, clearance, CancellationToken.None));
        Assert.Empty(await PostgresIncidentStore.CauseClearedAsync(source, clearance, CancellationToken.None)); // once per incident

        Assert.Equal(incident.Id, marked.Id);
        Assert.Equal((IncidentStates.Open, true, "tenants/ClientAccount/acme", "region guard re-attached by the operator"),
            (marked.State, marked.IsOpen, marked.CauseClearedBy, marked.CauseClearedHow));
        var listed = await PostgresIncidentStore.ListAsync(source, "tenants", includeClosed: false, CancellationToken.None);
        Assert.Equal([incident.Id, other.Id], listed.Select(i => i.Id));
        Assert.NotNull(listed[0].CauseClearedAt);
        Assert.Null(listed[1].CauseClearedAt); // another subject: not cleared

        // Its notification in the outbox (the incident still open, when the cause cleared), and a link of the incident chain.
        var payload = (await store.Server.PsqlAsync(
            $"SELECT payload FROM openkbs_audit.incident_notification WHERE incident = {incident.Id} AND kind = 'cause-cleared'", Database(options))).Trim();
        using (var json = JsonDocument.Parse(payload))
        {
            Assert.Equal(("openkbs.incident.cause-cleared", IncidentStates.Open, "tenants/ClientAccount/acme"),
                (json.RootElement.GetProperty("type").GetString(), json.RootElement.GetProperty("state").GetString(), json.RootElement.GetProperty("causeClearedBy").GetString()));
            Assert.Equal(listed[0].CauseClearedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                json.RootElement.GetProperty("causeClearedAt").GetString());
        }

        var chain = await IncidentChain.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.True(chain.Intact, chain.Message);
        Assert.Equal(3, chain.Checked); // two incidents and the cause-cleared change

        // The same cause seen again after it cleared is a new incident; the cleared one waits for a person, who closes it.
        var recurrence = await PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None);
        Assert.True(recurrence.Opened);
        Assert.NotEqual(incident.Id, recurrence.Incident.Id);
        var (closed, problem) = await PostgresIncidentStore.ChangeAsync(source, "tenants", incident.Id, IncidentStates.Closed, "alice", "reported", CancellationToken.None);
        Assert.Null(problem);
        Assert.Equal((IncidentStates.Closed, "region guard re-attached by the operator"), (closed!.State, closed.CauseClearedHow));
        Assert.Empty(await PostgresIncidentStore.CauseClearedAsync(source, clearance with { Subject = "ClientAccount/none" }, CancellationToken.None));

        // Changing the recorded clearance is a break of the chain (the superuser, triggers off).
        await store.Server.PsqlAsync(
            "ALTER TABLE openkbs_audit.incident_change DISABLE TRIGGER USER; UPDATE openkbs_audit.incident_change SET note = 'never detached' WHERE action = 'CauseCleared'; "
            + "ALTER TABLE openkbs_audit.incident_change ENABLE TRIGGER USER;",
            Database(options));
        var broken = await IncidentChain.VerifyAsync(options.ConnectionString!, CancellationToken.None);
        Assert.Equal((false, $"incident_change ({incident.Id}, CauseCleared)", "changed"), (broken.Intact, broken.BrokenRow, broken.Problem));
    }

    [Theory]
    [InlineData("UPDATE openkbs_audit.incident SET summary = 'nothing happened'")]
    [InlineData("DELETE FROM openkbs_audit.incident")]
    [InlineData("DELETE FROM openkbs_audit.incident_change")]
    [InlineData("TRUNCATE openkbs_audit.report_seal")]
    public async Task Incident_records_are_append_only_for_the_operator_role_and_the_owner(string sql)
    {
        var options = await NewStoreAsync();
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        var id = (await PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None)).Incident.Id;
        await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Acknowledged, "alice", null, CancellationToken.None);

        await using var command = source.CreateCommand(sql);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        var owner = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Server.PsqlAsync(sql, Database(options)));
        Assert.Contains("append-only", owner.Message, StringComparison.Ordinal);
        Assert.Equal("Incident summary", Assert.Single(await PostgresIncidentStore.ListAsync(source, "tenants", false, CancellationToken.None)).Summary);
    }

    [Fact]
    public async Task A_new_incident_is_posted_to_the_webhook_with_its_deadlines_and_no_secret_and_a_repeat_is_not()
    {
        var options = await NewStoreAsync();
        using var hook = new WebhookListener(HttpStatusCode.OK);
        await using var provider = Services(options, hook.Url);
        await provider.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        var webhook = provider.GetRequiredService<IncidentWebhook>();
        await webhook.StartAsync(CancellationToken.None);
        var recorder = provider.GetRequiredService<IIncidentRecorder>();

        var first = await recorder.OpenAsync(Report("tenants"), CancellationToken.None);
        var second = await recorder.OpenAsync(Report("tenants"), CancellationToken.None);

        Assert.True(first.Opened);
        Assert.False(second.Opened);
        var body = await hook.NextAsync();
        using var json = JsonDocument.Parse(body.Body);
        var root = json.RootElement;
        Assert.Equal("application/json; charset=utf-8", body.ContentType);
        Assert.Equal(("openkbs.incident.opened", first.Incident.Id, "tenants", IncidentCauses.GuardrailDetached), (root.GetProperty("type").GetString(), root.GetProperty("id").GetInt64(), root.GetProperty("namespace").GetString(), root.GetProperty("cause").GetString()));
        Assert.Equal(("2026-12-06T10:00:00Z", "2026-12-08T10:00:00Z", "2027-01-05T10:00:00Z"), (root.GetProperty("earlyWarningDue").GetString(), root.GetProperty("notificationDue").GetString(), root.GetProperty("reportDue").GetString()));
        Assert.Equal("[redacted]", root.GetProperty("details").GetProperty("secretToken").GetString());
        Assert.DoesNotContain("s3cr3t", body.Body, StringComparison.Ordinal);
        await WaitUntilAsync(() => webhook.Delivered == 1); // the receiver answered; the delivery is recorded just after
        await webhook.StopAsync(CancellationToken.None);
        Assert.Equal(1, webhook.Delivered);
        Assert.Equal(1, hook.Received);
    }

    [Fact]
    public async Task The_webhook_is_retried_with_backoff_on_5xx_and_given_up_on_4xx_without_blocking_the_caller()
    {
        var options = await NewStoreAsync();
        using var hook = new WebhookListener(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK, HttpStatusCode.BadRequest);
        await using var provider = Services(options, hook.Url);
        await provider.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        var webhook = provider.GetRequiredService<IncidentWebhook>();
        await webhook.StartAsync(CancellationToken.None);
        var recorder = provider.GetRequiredService<IIncidentRecorder>();

        await recorder.OpenAsync(Report("tenants"), CancellationToken.None); // answered 503, 502, then 200
        var retried = new[] { await hook.NextAsync(), await hook.NextAsync(), await hook.NextAsync() };
        Assert.Single(retried.Select(r => r.Body).Distinct());
        Assert.True(retried[2].At - retried[1].At >= TimeSpan.FromMilliseconds(90), "the second retry waits twice the first backoff");
        await recorder.OpenAsync(Report("tenants") with { Subject = "ClientAccount/other" }, CancellationToken.None); // 400: given up at once
        await hook.NextAsync();
        await WaitUntilAsync(() => webhook.GivenUp == 1);
        await webhook.StopAsync(CancellationToken.None);
        Assert.Equal((1, 1, 4), (webhook.Delivered, webhook.GivenUp, hook.Received));
    }

    [Fact]
    public async Task A_notification_owed_when_the_operator_stops_is_delivered_after_its_restart()
    {
        var options = await NewStoreAsync();
        int id;
        using (var down = new WebhookListener(HttpStatusCode.ServiceUnavailable))
        await using (var provider = Services(options, down.Url))
        {
            var webhook = provider.GetRequiredService<IncidentWebhook>();
            await webhook.StartAsync(CancellationToken.None);
            id = (int)(await provider.GetRequiredService<IIncidentRecorder>().OpenAsync(Report("tenants"), CancellationToken.None)).Incident.Id;
            await down.NextAsync(); // tried, 503: owed
            await webhook.StopAsync(CancellationToken.None);
        }

        Assert.Equal($"{id}|opened|", (await store.Server.PsqlAsync(
            "SELECT n.incident || '|' || n.kind || '|' || coalesce(d.outcome, '') FROM openkbs_audit.incident_notification n "
            + "LEFT JOIN openkbs_audit.incident_delivery d ON d.notification = n.id", Database(options))).Trim());

        // The operator again (a new process: nothing in memory), the receiver up: delivered once, and recorded as delivered.
        using var up = new WebhookListener(HttpStatusCode.OK);
        await using (var provider = Services(options, up.Url))
        {
            var webhook = provider.GetRequiredService<IncidentWebhook>();
            await webhook.StartAsync(CancellationToken.None);
            using var body = JsonDocument.Parse((await up.NextAsync()).Body);
            Assert.Equal(("openkbs.incident.opened", id), (body.RootElement.GetProperty("type").GetString(), body.RootElement.GetProperty("id").GetInt32()));
            await WaitUntilAsync(() => webhook.Delivered == 1);
            await webhook.StopAsync(CancellationToken.None);
        }

        Assert.Equal(1, up.Received);
        Assert.Equal("Delivered", (await store.Server.PsqlAsync("SELECT outcome FROM openkbs_audit.incident_delivery", Database(options))).Trim());
    }

    [Fact]
    public async Task The_retry_count_and_backoff_of_a_notification_survive_a_restart_and_it_is_given_up_at_the_maximum()
    {
        var options = await NewStoreAsync();
        var clock = new ManualClock(Detected.AddHours(1));
        using var down = new WebhookListener(HttpStatusCode.ServiceUnavailable);
        await using (var provider = Services(options, down.Url, clock, maxAttempts: 3))
        {
            var webhook = provider.GetRequiredService<IncidentWebhook>();
            await provider.GetRequiredService<IIncidentRecorder>().OpenAsync(Report("tenants"), CancellationToken.None);
            Assert.Equal(TimeSpan.FromSeconds(10), await webhook.DispatchAsync(CancellationToken.None)); // attempt 1: 503
            Assert.Equal(TimeSpan.FromSeconds(10), await webhook.DispatchAsync(CancellationToken.None)); // not due yet: nothing sent
            Assert.Equal(1, down.Received);
            clock.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(TimeSpan.FromSeconds(20), await webhook.DispatchAsync(CancellationToken.None)); // attempt 2: 503, next in twice the backoff
            Assert.Equal(2, down.Received);
        }

        Assert.Equal("1 HTTP 503, 2 HTTP 503", (await store.Server.PsqlAsync(
            "SELECT string_agg(attempt || ' ' || problem, ', ' ORDER BY attempt) FROM openkbs_audit.incident_attempt", Database(options))).Trim());

        // A new process (nothing in memory): the backoff of attempt 2 still holds, and the next attempt is number 3, the last.
        await using (var provider = Services(options, down.Url, clock, maxAttempts: 3))
        {
            var webhook = provider.GetRequiredService<IncidentWebhook>();
            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(TimeSpan.FromSeconds(15), await webhook.DispatchAsync(CancellationToken.None));
            Assert.Equal(2, down.Received);
            clock.Advance(TimeSpan.FromSeconds(15));
            Assert.Null(await webhook.DispatchAsync(CancellationToken.None));
            Assert.Equal((3, 1, 0), (down.Received, webhook.GivenUp, webhook.Delivered));
        }

        Assert.Equal("GivenUp|3|HTTP 503", (await store.Server.PsqlAsync(
            "SELECT outcome || '|' || attempts || '|' || problem FROM openkbs_audit.incident_delivery", Database(options))).Trim());
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        Assert.Empty(await IncidentOutbox.OwedAsync(source, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Acknowledging_and_closing_are_announced_in_order_and_the_closing_note_is_not()
    {
        var options = await NewStoreAsync();
        using var hook = new WebhookListener(HttpStatusCode.OK);
        await using var provider = Services(options, hook.Url);
        var webhook = provider.GetRequiredService<IncidentWebhook>();
        await webhook.StartAsync(CancellationToken.None);
        var id = (await provider.GetRequiredService<IIncidentRecorder>().OpenAsync(Report("tenants"), CancellationToken.None)).Incident.Id;

        // As `openkbs incident acknowledge|close` does, in another process: the operator's dispatcher finds them in the outbox.
        await using (var source = NpgsqlDataSource.Create(options.ConnectionString!))
        {
            Assert.Null((await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Acknowledged, "alice", null, CancellationToken.None)).Error);
            Assert.Null((await PostgresIncidentStore.ChangeAsync(source, "tenants", id, IncidentStates.Closed, "bob", "password hunter2 rotated", CancellationToken.None)).Error);
        }

        var bodies = new[] { await hook.NextAsync(), await hook.NextAsync(), await hook.NextAsync() }.Select(b => JsonDocument.Parse(b.Body).RootElement).ToList();
        Assert.Equal(["openkbs.incident.opened", "openkbs.incident.acknowledged", "openkbs.incident.closed"], bodies.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(("alice", "Closed", "bob"), (bodies[1].GetProperty("acknowledgedBy").GetString(), bodies[2].GetProperty("state").GetString(), bodies[2].GetProperty("closedBy").GetString()));
        Assert.DoesNotContain(bodies, b => b.GetRawText().Contains("hunter2", StringComparison.Ordinal));
        await webhook.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Each_approaching_deadline_is_announced_once_and_a_closed_incident_gets_none()
    {
        var options = await NewStoreAsync();
        await using var source = NpgsqlDataSource.Create(options.ConnectionString!);
        var open = (await PostgresIncidentStore.OpenAsync(source, Report("tenants"), "op", CancellationToken.None)).Incident;
        var closed = (await PostgresIncidentStore.OpenAsync(source, Report("tenants") with { Subject = "ClientAccount/other" }, "op", CancellationToken.None)).Incident;
        await PostgresIncidentStore.ChangeAsync(source, "tenants", closed.Id, IncidentStates.Closed, "alice", null, CancellationToken.None);
        var lead = TimeSpan.FromHours(2);

        Assert.Equal(0, await IncidentOutbox.PlanDeadlinesAsync(source, Detected.AddHours(21), lead, CancellationToken.None));
        Assert.Equal(1, await IncidentOutbox.PlanDeadlinesAsync(source, Detected.AddHours(22.5), lead, CancellationToken.None));
        Assert.Equal(0, await IncidentOutbox.PlanDeadlinesAsync(source, Detected.AddHours(23), lead, CancellationToken.None));
        Assert.Equal(1, await IncidentOutbox.PlanDeadlinesAsync(source, Detected.AddHours(70.5), lead, CancellationToken.None));
        Assert.Equal(1, await IncidentOutbox.PlanDeadlinesAsync(source, Detected.AddMonths(1).AddHours(-1), lead, CancellationToken.None));
        Assert.Equal(0, await IncidentOutbox.PlanDeadlinesAsync(source, Detected.AddMonths(2), lead, CancellationToken.None));

        var owed = await IncidentOutbox.OwedAsync(source, 100, CancellationToken.None);
        Assert.Equal(
            [(open.Id, "opened"), (closed.Id, "opened"), (closed.Id, "closed"), (open.Id, "deadline:early-warning"), (open.Id, "deadline:notification"), (open.Id, "deadline:final-report")],
            owed.Select(o => (o.Incident, o.Kind)));
        using var reminder = JsonDocument.Parse(owed[3].Payload);
        Assert.Equal(("openkbs.incident.deadline", "early warning", "2026-12-06T10:00:00Z"),
            (reminder.RootElement.GetProperty("type").GetString(), reminder.RootElement.GetProperty("deadline").GetString(), reminder.RootElement.GetProperty("due").GetString()));
        Assert.Equal("[redacted]", reminder.RootElement.GetProperty("details").GetProperty("secretToken").GetString());
    }

    [Theory]
    [InlineData("ftp://hooks.example/x", "absolute http or https URL")]
    [InlineData("https://user:pw@hooks.example/x", "must not carry credentials")]
    [InlineData("not a url", "absolute http or https URL")]
    public void A_bad_webhook_setting_is_refused_at_registration_naming_it(string url, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Incidents:WebhookUrl"] = url }).Build();
        var refused = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddOpenKbsAuditStore(configuration));
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", refused.Message, StringComparison.Ordinal);
    }

    private static IncidentReport Report(string ns) => new()
    {
        Namespace = ns,
        Cause = IncidentCauses.GuardrailDetached,
        Subject = "ClientAccount/acme",
        Resource = "p-guard1",
        Summary = "Incident summary",
        Details = new Dictionary<string, string> { ["accountId"] = "123456789012", ["secretToken"] = "s3cr3t" },
        DetectedAt = Detected,
        Actor = new AwsActor { Controller = "clientaccount", Namespace = ns, Kind = "ClientAccount", Name = "acme" },
    };

    private async Task<AuditStoreOptions> NewStoreAsync()
    {
        var options = await store.NewStoreAsync();
        await using var journal = AuditStoreFixture.Journal(options);
        await journal.InitializeAsync(CancellationToken.None); // migrations, as the operator at start
        return options;
    }

    private static ServiceProvider Services(AuditStoreOptions options, Uri webhook) => Services(options, webhook, new RunningClock(Detected.AddHours(1)));

    private static ServiceProvider Services(AuditStoreOptions options, Uri webhook, TimeProvider clock, int? maxAttempts = null)
    {
        var slow = maxAttempts is not null;
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(clock);
        services.AddOpenKbsAuditStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = options.ConnectionString,
            ["AuditStore:MigrationConnectionString"] = options.MigrationConnectionString,
            ["Incidents:WebhookUrl"] = webhook.ToString(),
            ["Incidents:InitialBackoff"] = slow ? "00:00:10" : "00:00:00.1",
            ["Incidents:MaxBackoff"] = slow ? "00:01:00" : "00:00:01",
            ["Incidents:MaxAttempts"] = (maxAttempts ?? 6).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Incidents:TimeoutSeconds"] = "5",
            ["Incidents:PollInterval"] = "00:00:00.2",
        }).Build());
        return services.BuildServiceProvider();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    private static string Database(AuditStoreOptions options) => new NpgsqlConnectionStringBuilder(options.ConnectionString).Database!;

    /// <summary>The real clock's pace from a fixed start (the deadlines of <see cref="Detected"/> are hours ahead of it).</summary>
    private sealed class RunningClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>A local webhook receiver: answers each POST with the next status of its script (the last one repeated).</summary>
    private sealed class WebhookListener : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly System.Threading.Channels.Channel<(string Body, string? ContentType, DateTimeOffset At)> _received =
            System.Threading.Channels.Channel.CreateUnbounded<(string, string?, DateTimeOffset)>();

        private readonly HttpStatusCode[] _script;
        private int _count;

        public WebhookListener(params HttpStatusCode[] script)
        {
            _script = script;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hooks/incidents/");
                probe.Stop();
            }

            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public Uri Url { get; }

        public int Received => Volatile.Read(ref _count);

        public async Task<(string Body, string? ContentType, DateTimeOffset At)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await _received.Reader.ReadAsync(timeout.Token);
        }

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var n = Interlocked.Increment(ref _count);
                context.Response.StatusCode = (int)_script[Math.Min(n, _script.Length) - 1];
                context.Response.Close();
                await _received.Writer.WriteAsync((body, context.Request.ContentType, DateTimeOffset.UtcNow));
            }
        }
    }
}
