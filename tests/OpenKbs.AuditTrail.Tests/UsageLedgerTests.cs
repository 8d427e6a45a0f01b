using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.CloudWatch;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>Daily consumption figures in the audit store's database: a later reading of a day replaces it, months are kept apart, the operator cannot delete.</summary>
[Collection(AuditStoreCollection.Name)]
public sealed class UsageLedgerTests(AuditStoreFixture store)
{
    private static readonly UsageOwner Shop = new("tenant-a", "shop", "123456789012");

    [Fact]
    public async Task A_day_read_again_is_replaced_and_the_month_totals_follow()
    {
        var options = await MigratedStoreAsync();
        await using var ledger = new PostgresUsageLedger(Options.Create(options));

        await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 10), Figure(1, "bucket", "okbs-shop", UsageMetrics.StorageBytes, 1_000)], CancellationToken.None);
        await ledger.RecordAsync(Shop,
        [
            Figure(1, "function", "shop-api", UsageMetrics.Invocations, 12), // the day settled higher
            Figure(2, "function", "shop-api", UsageMetrics.Invocations, 5),
            Figure(2, "bucket", "okbs-shop", UsageMetrics.StorageBytes, 3_000),
            Figure(2, "database", "okbs-shop-db", UsageMetrics.AcuHours, 12.5),
        ], CancellationToken.None);
        await ledger.RecordAsync(new UsageOwner("tenant-a", "blog", "123456789012"), [Figure(2, "function", "blog-api", UsageMetrics.Invocations, 99)], CancellationToken.None);
        await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 70) with { Day = new DateOnly(2026, 10, 31) }], CancellationToken.None);
        await ledger.RecordAsync(Shop with { Namespace = "tenant-b" }, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 1)], CancellationToken.None);

        var days = await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", "2026-11", CancellationToken.None);
        Assert.Equal(5, days.Count);
        var totals = UsageExport.Totals("tenant-a", "2026-11", days).ToDictionary(t => $"{t.Resource} {t.Metric}");
        Assert.Equal((17d, 2, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)), (totals["shop-api invocations"].Value, totals["shop-api invocations"].Days, totals["shop-api invocations"].FirstDay, totals["shop-api invocations"].LastDay));
        Assert.Equal(3_000, totals["okbs-shop storageBytes"].Value); // a level: the latest day, not the sum
        Assert.Equal((12.5, "ACU-hours"), (totals["okbs-shop-db acuHours"].Value, totals["okbs-shop-db acuHours"].Unit));
        Assert.Equal("123456789012", totals["shop-api invocations"].AccountId);

        var all = await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", null, "2026-11", CancellationToken.None);
        Assert.Equal(["blog", "shop"], all.Select(d => d.Project).Distinct());
        var october = await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", "2026-10", CancellationToken.None);
        Assert.Equal(70, Assert.Single(october).Figure.Value);
    }

    [Theory]
    [InlineData("DELETE FROM openkbs_audit.usage")]
    [InlineData("TRUNCATE openkbs_audit.usage")]
    public async Task The_operator_role_cannot_remove_figures(string sql)
    {
        var options = await MigratedStoreAsync();
        await using (var ledger = new PostgresUsageLedger(Options.Create(options)))
        {
            await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 10)], CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Single(await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", "2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task Export_writes_totals_or_days_as_JSON_lines()
    {
        var options = await MigratedStoreAsync();
        await using (var ledger = new PostgresUsageLedger(Options.Create(options)))
        {
            await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 10), Figure(2, "function", "shop-api", UsageMetrics.Invocations, 4)], CancellationToken.None);
        }

        var totals = new StringWriter();
        Assert.Equal(1, await UsageExport.WriteAsync(options.ConnectionString!, "tenant-a", null, "2026-11", daily: false, totals, CancellationToken.None));
        Assert.Equal(
            """{"namespace":"tenant-a","project":"shop","period":"2026-11","kind":"function","resource":"shop-api","metric":"invocations","value":14,"unit":"Count","days":2,"firstDay":"2026-11-01","lastDay":"2026-11-02","accountId":"123456789012"}""",
            totals.ToString().Trim());
        var daily = new StringWriter();
        Assert.Equal(2, await UsageExport.WriteAsync(options.ConnectionString!, "tenant-a", "shop", "2026-11", daily: true, daily, CancellationToken.None));
        Assert.StartsWith("""{"namespace":"tenant-a","project":"shop","period":"2026-11","day":"2026-11-01","kind":"function",""", daily.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-13", false)]
    [InlineData("2026-1", false)]
    [InlineData("November", false)]
    [InlineData("2026-11-01", false)]
    public void Periods_are_months(string period, bool valid) => Assert.Equal(valid, UsageExport.IsPeriod(period));

    private async Task<AuditStoreOptions> MigratedStoreAsync()
    {
        var options = await store.NewStoreAsync();
        await using var journal = AuditStoreFixture.Journal(options);
        await journal.InitializeAsync(CancellationToken.None);
        return options;
    }

    private static UsageFigure Figure(int day, string kind, string resource, string metric, double value) => new()
    {
        Day = new DateOnly(2026, 11, day),
        Kind = kind,
        Resource = resource,
        Metric = metric,
        Value = value,
        Unit = metric switch { UsageMetrics.StorageBytes => "Bytes", UsageMetrics.AcuHours => "ACU-hours", _ => "Count" },
    };
}
