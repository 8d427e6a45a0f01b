using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;
using OpenKbs.Operator.Commands;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>`openkbs incident list|acknowledge|close` against a throwaway PostgreSQL audit store holding incidents the operator opened.</summary>
public sealed class IncidentCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Detected = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Detected.AddHours(2);
    private PostgresServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.CreateAsync();
        try
        {
            await using (var journal = new PostgresAuditJournal(
                Options.Create(new AuditStoreOptions { ConnectionString = _server.ConnectionString(), OperatorIdentity = "test" }), NullLogger<PostgresAuditJournal>.Instance))
            {
                await journal.InitializeAsync(CancellationToken.None);
            }

            await using var source = NpgsqlDataSource.Create(_server.ConnectionString());
            await PostgresIncidentStore.OpenAsync(source, Report("tenants", IncidentCauses.GuardrailDetached, "ClientAccount/acme"), "test", CancellationToken.None);
            await PostgresIncidentStore.OpenAsync(source, Report("tenants", IncidentCauses.BucketMadePublic, "Project/shop/bucket/okbs-shop"), "test", CancellationToken.None);
            await PostgresIncidentStore.OpenAsync(source, Report("other", IncidentCauses.BucketMadePublic, "Project/web/bucket/okbs-web"), "test", CancellationToken.None);
        }
        catch
        {
            await _server.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Verify_reports_an_intact_incident_chain_then_names_the_first_changed_or_deleted_row()
    {
        Assert.Equal(0, (await ChangeAsync("tenants", 2, IncidentStates.Closed, "alice", null, Now)).Code);
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await IncidentCommand.VerifyAsync(_server.ConnectionString(), output, error, CancellationToken.None));
        Assert.StartsWith("incident chain intact: 4 row(s), head ", output.ToString(), StringComparison.Ordinal);

        // The closing's actor changed by the superuser (triggers off): named.
        await TamperAsync("UPDATE openkbs_audit.incident_change SET actor = 'mallory' WHERE incident = 2");
        Assert.Equal((1, "incident chain broken at incident_change (2, Closed) (changed)"), await VerifyTextAsync());

        // Put back, then an incident's summary changed: the first broken row is that incident.
        await TamperAsync("UPDATE openkbs_audit.incident_change SET actor = 'alice' WHERE incident = 2");
        Assert.Equal(0, (await VerifyTextAsync()).Code);
        await TamperAsync("UPDATE openkbs_audit.incident SET summary = 'nothing happened' WHERE id = 1");
        Assert.Equal((1, "incident chain broken at incident 1 (changed)"), await VerifyTextAsync());

        // Put back, then the third incident deleted (with its notification, for the foreign key): the next row names the gap.
        await TamperAsync("UPDATE openkbs_audit.incident SET summary = 'GuardrailDetached seen on ClientAccount/acme' WHERE id = 1");
        Assert.Equal(0, (await VerifyTextAsync()).Code);
        await TamperAsync("DELETE FROM openkbs_audit.incident_notification WHERE incident = 3; DELETE FROM openkbs_audit.incident WHERE id = 3");
        Assert.Equal((1, "incident chain broken at incident_change (2, Closed) (deleted)"), await VerifyTextAsync());
    }

    [Fact]
    public async Task List_prints_each_open_incident_with_its_three_clocks_then_acknowledge_and_close_change_it_once()
    {
        var (code, listed, _) = await ListAsync("tenants");
        Assert.Equal(0, code);
        Assert.Contains("incident 1 Open: GuardrailDetached of ClientAccount/acme, detected 2026-12-05T10:00:00Z by tenants/ClientAccount/acme", listed, StringComparison.Ordinal);
        Assert.Contains("  early warning due 2026-12-06T10:00:00Z (in 22h 0m)", listed, StringComparison.Ordinal);
        Assert.Contains("  notification due 2026-12-08T10:00:00Z (in 2d 22h)", listed, StringComparison.Ordinal);
        Assert.Contains("  final report due 2027-01-05T10:00:00Z (in 30d 22h)", listed, StringComparison.Ordinal);
        Assert.Contains("incident 2 Open: BucketMadePublic of Project/shop/bucket/okbs-shop", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("okbs-web", listed, StringComparison.Ordinal);

        var (acknowledged, ackOut, _) = await ChangeAsync("tenants", 1, IncidentStates.Acknowledged, "alice", null, Now.AddDays(2));
        Assert.Equal(0, acknowledged);
        Assert.Contains("incident 1 Acknowledged", ackOut, StringComparison.Ordinal);
        Assert.Contains("early warning due 2026-12-06T10:00:00Z (overdue by 26h 0m)", ackOut, StringComparison.Ordinal);
        Assert.Matches(@"acknowledged \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by alice", ackOut);
        var (again, _, againError) = await ChangeAsync("tenants", 1, IncidentStates.Acknowledged, "bob", null, Now);
        Assert.Equal(1, again);
        Assert.Contains("already acknowledged", againError, StringComparison.Ordinal);
        Assert.Contains("nothing written", againError, StringComparison.Ordinal);

        var (closed, closeOut, _) = await ChangeAsync("tenants", 1, IncidentStates.Closed, "alice", "early warning and notification sent to the CSIRT", Now);
        Assert.Equal(0, closed);
        Assert.Contains("(closed)", closeOut, StringComparison.Ordinal);
        Assert.Contains("by alice: early warning and notification sent to the CSIRT", closeOut, StringComparison.Ordinal);
        Assert.DoesNotContain("ClientAccount/acme", (await ListAsync("tenants")).Output, StringComparison.Ordinal);
        Assert.Contains("incident 1 Closed", (await ListAsync("tenants", all: true)).Output, StringComparison.Ordinal);
        Assert.Equal(1, (await ChangeAsync("tenants", 1, IncidentStates.Closed, "bob", null, Now)).Code);
    }

    [Fact]
    public async Task List_shows_when_the_operator_saw_the_cause_cleared_and_that_the_incident_awaits_its_closing()
    {
        await using (var source = NpgsqlDataSource.Create(_server.ConnectionString()))
        {
            Assert.Single(await PostgresIncidentStore.CauseClearedAsync(source, new IncidentClearance
            {
                Namespace = "other",
                Cause = IncidentCauses.BucketMadePublic,
                Subject = "Project/web/bucket/okbs-web",
                How = "public access block of bucket okbs-web put back by the operator",
                Actor = new AwsActor { Controller = "project", Namespace = "other", Kind = "Project", Name = "web" },
            }, CancellationToken.None));
        }

        var (code, listed, _) = await ListAsync("other");
        Assert.Equal(0, code);
        Assert.Contains("incident 3 Open: BucketMadePublic of Project/web/bucket/okbs-web", listed, StringComparison.Ordinal);
        Assert.Matches(
            @"  cause cleared \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(seen by other/Project/web: public access block of bucket okbs-web put back by the operator\); awaiting closure by a person \(openkbs incident close\)",
            listed);

        var (closed, closeOut, _) = await ChangeAsync("other", 3, IncidentStates.Closed, "alice", "reported", Now);
        Assert.Equal(0, closed);
        Assert.Contains("(seen by other/Project/web: public access block of bucket okbs-web put back by the operator)\n", closeOut, StringComparison.Ordinal);
        var (verified, message) = await VerifyTextAsync();
        Assert.Equal(0, verified);
        Assert.StartsWith("incident chain intact: 5 row(s)", message, StringComparison.Ordinal); // 3 openings, the cause cleared, the closing
    }

    [Fact]
    public async Task An_incident_of_another_namespace_or_bad_input_is_refused_and_nothing_is_written()
    {
        var (code, _, error) = await ChangeAsync("tenants", 3, IncidentStates.Closed, "alice", null, Now);
        Assert.Equal(1, code);
        Assert.Contains("no incident 3 in namespace tenants", error, StringComparison.Ordinal);
        Assert.Equal(2, (await ChangeAsync("Not_A_Namespace", 1, IncidentStates.Closed, "alice", null, Now)).Code);
        Assert.Equal(2, (await ChangeAsync("tenants", 0, IncidentStates.Closed, "alice", null, Now)).Code);
        Assert.Equal(2, (await ChangeAsync("tenants", 2, IncidentStates.Closed, " ", null, Now)).Code);
        using var output = new StringWriter();
        using var noStore = new StringWriter();
        Assert.Equal(2, await IncidentCommand.ListAsync(null, "tenants", false, Now, output, noStore, CancellationToken.None));
        Assert.Contains("no audit store", noStore.ToString(), StringComparison.Ordinal);
        Assert.Equal("0", (await _server.PsqlAsync("SELECT count(*) FROM openkbs_audit.incident_change")).Trim());
        Assert.Contains("incident 3 Open", (await ListAsync("other")).Output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Message)> VerifyTextAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await IncidentCommand.VerifyAsync(_server.ConnectionString(), output, error, CancellationToken.None);
        var text = (code == 0 ? output : error).ToString();
        return (code, code == 0 ? text.Trim() : text[..(text.IndexOf("): ", StringComparison.Ordinal) + 1)]);
    }

    /// <summary>What an attacker with the superuser could do: switch the incident tables' triggers off, change them, switch them on.</summary>
    private Task TamperAsync(string sql)
    {
        string[] tables = ["incident", "incident_change", "incident_notification"];
        return _server.PsqlAsync(
            string.Concat(tables.Select(t => $"ALTER TABLE openkbs_audit.{t} DISABLE TRIGGER USER; ")) + sql + "; "
            + string.Concat(tables.Select(t => $"ALTER TABLE openkbs_audit.{t} ENABLE TRIGGER USER; ")));
    }

    private async Task<(int Code, string Output, string Error)> ListAsync(string ns, bool all = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await IncidentCommand.ListAsync(_server.ConnectionString(), ns, all, Now, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output, string Error)> ChangeAsync(string ns, long id, string action, string by, string? note, DateTimeOffset now)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await IncidentCommand.ChangeAsync(_server.ConnectionString(), ns, id, action, by, note, now, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static IncidentReport Report(string ns, string cause, string subject) => new()
    {
        Namespace = ns,
        Cause = cause,
        Subject = subject,
        Summary = $"{cause} seen on {subject}",
        DetectedAt = Detected,
        Actor = new AwsActor { Controller = "test", Namespace = ns, Kind = subject.Split('/')[0], Name = subject.Split('/')[1] },
    };
}
