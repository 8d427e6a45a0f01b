using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;
using OpenKbs.Operator.Commands;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>`openkbs audit verify` and `openkbs audit export` against a throwaway PostgreSQL with a few records.</summary>
public sealed class AuditCommandsTests : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.CreateAsync();
        try
        {
            await using var journal = new PostgresAuditJournal(
                Options.Create(new AuditStoreOptions { ConnectionString = _server.ConnectionString(), OperatorIdentity = "test" }), NullLogger<PostgresAuditJournal>.Instance);
            foreach (var ns in new[] { "tenants", "other", "tenants" })
            {
                var intent = await journal.AppendIntentAsync(Record(ns, AuditOutcome.Pending), CancellationToken.None);
                await journal.AppendOutcomeAsync(intent, Record(ns, AuditOutcome.Success), CancellationToken.None);
            }
        }
        catch
        {
            // xunit does not dispose a test whose initialisation failed: stop the cluster here.
            await _server.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Verify_reports_an_intact_chain_then_names_the_changed_record()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await AuditVerifyCommand.RunAsync(_server.ConnectionString(), output, error, CancellationToken.None));
        Assert.Contains("chain intact: 6 record(s)", output.ToString(), StringComparison.Ordinal);

        await _server.PsqlAsync("ALTER TABLE openkbs_audit.record DISABLE TRIGGER USER; UPDATE openkbs_audit.record SET outcome = 'Failure' WHERE seq = 2; "
            + "ALTER TABLE openkbs_audit.record ENABLE TRIGGER USER;");
        using var brokenOutput = new StringWriter();
        using var brokenError = new StringWriter();
        Assert.Equal(1, await AuditVerifyCommand.RunAsync(_server.ConnectionString(), brokenOutput, brokenError, CancellationToken.None));
        Assert.Contains("chain broken at record 2 (changed)", brokenError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_the_namespace_records_of_the_period()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var since = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");

        Assert.Equal(0, await AuditExportCommand.RunAsync(_server.ConnectionString(), "tenants", since, null, output, error, CancellationToken.None));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"namespace\":\"tenants\"", l, StringComparison.Ordinal));
        Assert.Contains("exported 4 record(s)", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yesterday", null, "--since 'yesterday' is not an ISO 8601 time")]
    [InlineData("2026-12-02", "2026-12-01", "must be after --since")]
    public async Task Export_refuses_bad_times_before_connecting(string since, string? until, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await AuditExportCommand.RunAsync("Host=192.0.2.1;Timeout=1", "tenants", since, until, output, error, CancellationToken.None));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Verify_without_a_store_says_how_to_name_one()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await AuditVerifyCommand.RunAsync(null, output, error, CancellationToken.None));
        Assert.Contains(AuditStoreConnection.Variable, error.ToString(), StringComparison.Ordinal);
    }

    private static AuditRecord Record(string ns, string outcome) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Action = "s3:CreateBucket",
        Resource = "arn:aws:s3:::b",
        Details = AuditDetails.Empty,
        Actor = new AwsActor { Controller = "Project", Namespace = ns, Kind = "Project", Name = "shop" },
        SourceIp = "10.0.0.7",
        Region = "eu-central-1",
        Outcome = outcome,
    };
}
