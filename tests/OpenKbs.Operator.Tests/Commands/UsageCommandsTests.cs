using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Operator.Commands;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>
/// `openkbs usage export` end to end: the built openkbs executable against a throwaway PostgreSQL 15 holding the figures
/// the ledger wrote (two projects, two months, two namespaces).
/// </summary>
public sealed class UsageCommandsTests : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.CreateAsync();
        try
        {
            var options = Options.Create(new AuditStoreOptions { ConnectionString = _server.ConnectionString(), OperatorIdentity = "test" });
            await using (var journal = new PostgresAuditJournal(options, NullLogger<PostgresAuditJournal>.Instance))
            {
                await journal.InitializeAsync(CancellationToken.None);
            }

            await using var ledger = new PostgresUsageLedger(options);
            var shop = new UsageOwner("tenants", "shop", "123456789012");
            await ledger.RecordAsync(shop,
            [
                Figure("2026-11-01", "function", "shop-api", UsageMetrics.Invocations, 10, "Count"),
                Figure("2026-11-02", "function", "shop-api", UsageMetrics.Invocations, 5, "Count"),
                Figure("2026-11-01", "bucket", "okbs-shop", UsageMetrics.StorageBytes, 1_000, "Bytes"),
                Figure("2026-11-30", "bucket", "okbs-shop", UsageMetrics.StorageBytes, 4_000, "Bytes"),
                Figure("2026-11-30", "database", "okbs-shop-db", UsageMetrics.AcuHours, 12.5, "ACU-hours"),
                Figure("2026-12-01", "function", "shop-api", UsageMetrics.Invocations, 7, "Count"),
            ], CancellationToken.None);
            await ledger.RecordAsync(shop with { Project = "blog" }, [Figure("2026-11-03", "function", "blog-api", UsageMetrics.Invocations, 1, "Count")], CancellationToken.None);
            await ledger.RecordAsync(shop with { Namespace = "other" }, [Figure("2026-11-03", "function", "shop-api", UsageMetrics.Invocations, 99, "Count")], CancellationToken.None);
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
    public async Task The_executable_exports_a_month_of_one_project_as_JSON_lines()
    {
        var (code, output, error) = await OpenKbsAsync(["usage", "export", "--namespace", "tenants", "--project", "shop", "--period", "2026-11"]);

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var totals = lines.ToDictionary(l => $"{l.GetProperty("resource").GetString()} {l.GetProperty("metric").GetString()}", l => l.GetProperty("value").GetDouble());
        Assert.Equal(3, totals.Count);
        Assert.Equal(15, totals["shop-api invocations"]); // December's 7 are another period
        Assert.Equal(4_000, totals["okbs-shop storageBytes"]); // a level: the month's latest day
        Assert.Equal(12.5, totals["okbs-shop-db acuHours"]);
        Assert.All(lines, l => Assert.Equal(("tenants", "shop", "2026-11"), (l.GetProperty("namespace").GetString(), l.GetProperty("project").GetString(), l.GetProperty("period").GetString())));
        Assert.Contains("exported 3 month total(s) of namespace tenants, 2026-11-01 to 2026-11-30", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_writes_days_across_months_as_CSV_to_a_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"usage-{Guid.NewGuid():N}.csv");
        try
        {
            var (code, output, error) = await OpenKbsAsync(
                ["usage", "export", "-n", "tenants", "--since", "2026-11-02", "--until", "2026-12-02", "--daily", "--format", "csv", "--output", file]);

            Assert.True(code == 0, error);
            Assert.Empty(output);
            Assert.Equal(
                [
                    "namespace,project,period,day,kind,resource,metric,value,unit,accountId",
                    "tenants,blog,2026-11,2026-11-03,function,blog-api,invocations,1,Count,123456789012",
                    "tenants,shop,2026-11,2026-11-02,function,shop-api,invocations,5,Count,123456789012",
                    "tenants,shop,2026-11,2026-11-30,bucket,okbs-shop,storageBytes,4000,Bytes,123456789012",
                    "tenants,shop,2026-11,2026-11-30,database,okbs-shop-db,acuHours,12.5,ACU-hours,123456789012",
                    "tenants,shop,2026-12,2026-12-01,function,shop-api,invocations,7,Count,123456789012",
                ],
                await File.ReadAllLinesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Help_names_every_option()
    {
        var (code, output, _) = await OpenKbsAsync(["usage", "export", "--help"]);

        Assert.Equal(0, code);
        foreach (var option in new[] { "--namespace", "--project", "--period", "--since", "--until", "--daily", "--format", "--output", "--connection-string" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, null, null, "either --period")]
    [InlineData("2026-11", "2026-11-01", null, "either --period")]
    [InlineData("2026-13", null, null, "--period '2026-13' is not a month")]
    [InlineData("2026-11", null, "2026-12-01", "--until goes with --since")]
    [InlineData(null, "2026-11-31", null, "--since '2026-11-31' is not a day")]
    [InlineData(null, "2026-11-10", "2026-11-10", "must be after --since")]
    public async Task Bad_periods_are_refused_before_connecting(string? period, string? since, string? until, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await UsageExportCommand.RunAsync(
            "Host=192.0.2.1;Timeout=1", new UsageExportQuery("tenants", null, period, since, until, false, "jsonl"), DateTimeOffset.UtcNow, output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task A_bad_period_leaves_no_output_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"usage-{Guid.NewGuid():N}.csv");

        var (code, _, error) = await OpenKbsAsync(["usage", "export", "-n", "tenants", "--period", "November", "--output", file]);

        Assert.Equal(2, code);
        Assert.Contains("--period 'November' is not a month", error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Without_a_store_it_says_how_to_name_one()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await UsageExportCommand.RunAsync(null, new UsageExportQuery("tenants", null, "2026-11", null, null, false, "csv"), DateTimeOffset.UtcNow, output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains($"openkbs usage export: no audit store: pass --connection-string or set {AuditStoreConnection.Variable}", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs the built openkbs executable with the store's connection in the operator's own variable.</summary>
    private async Task<(int Code, string Output, string Error)> OpenKbsAsync(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openkbs.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[AuditStoreConnection.Variable] = _server.ConnectionString();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static UsageFigure Figure(string day, string kind, string resource, string metric, double value, string unit) => new()
    {
        Day = DateOnly.Parse(day, CultureInfo.InvariantCulture),
        Kind = kind,
        Resource = resource,
        Metric = metric,
        Value = value,
        Unit = unit,
    };
}
