using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.CloudWatch;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// Daily consumption figures in the audit store's database: a later reading of a day replaces it until the day is settled,
/// months are kept apart, nobody deletes before the retention and then only whole months.
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class UsageLedgerTests(AuditStoreFixture store)
{
    private static readonly UsageOwner Shop = new("tenant-a", "shop", "123456789012");

    /// <summary>The current month (UTC): its first days are never settled, whatever the date the tests run.</summary>
    private static readonly DateOnly Month = new(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1);

    private static readonly string Period = Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

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
        await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 70) with { Day = Month.AddDays(-1) }], CancellationToken.None);
        await ledger.RecordAsync(Shop with { Namespace = "tenant-b" }, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 1)], CancellationToken.None);

        var days = await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", Period, CancellationToken.None);
        Assert.Equal(5, days.Count);
        var totals = UsageExport.Totals(days).ToDictionary(t => $"{t.Resource} {t.Metric}");
        Assert.Equal((17d, 2, Month, Month.AddDays(1)), (totals["shop-api invocations"].Value, totals["shop-api invocations"].Days, totals["shop-api invocations"].FirstDay, totals["shop-api invocations"].LastDay));
        Assert.Equal(3_000, totals["okbs-shop storageBytes"].Value); // a level: the latest day, not the sum
        Assert.Equal((12.5, "ACU-hours"), (totals["okbs-shop-db acuHours"].Value, totals["okbs-shop-db acuHours"].Unit));
        Assert.Equal("123456789012", totals["shop-api invocations"].AccountId);

        var all = await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", null, Period, CancellationToken.None);
        Assert.Equal(["blog", "shop"], all.Select(d => d.Project).Distinct());
        var before = await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", PeriodOf(Month.AddDays(-1)), CancellationToken.None);
        Assert.Equal(70, Assert.Single(before).Figure.Value);
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
        Assert.Single(await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", Period, CancellationToken.None));
    }

    [Fact]
    public async Task Export_writes_totals_or_days_as_JSON_lines_or_CSV()
    {
        var options = await MigratedStoreAsync();
        await using (var ledger = new PostgresUsageLedger(Options.Create(options)))
        {
            await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 10), Figure(2, "function", "shop-api", UsageMetrics.Invocations, 4)], CancellationToken.None);
        }

        var totals = new StringWriter();
        Assert.Equal(1, await UsageExport.WriteAsync(options.ConnectionString!, "tenant-a", null, UsageRange.Month(Period)!, daily: false, UsageFormat.JsonLines, totals, CancellationToken.None));
        Assert.Equal(
            $$"""{"namespace":"tenant-a","project":"shop","period":"{{Period}}","kind":"function","resource":"shop-api","metric":"invocations","value":14,"unit":"Count","days":2,"firstDay":"{{Period}}-01","lastDay":"{{Period}}-02","accountId":"123456789012"}""",
            totals.ToString().Trim());
        var daily = new StringWriter();
        Assert.Equal(2, await UsageExport.WriteAsync(options.ConnectionString!, "tenant-a", "shop", UsageRange.Month(Period)!, daily: true, UsageFormat.JsonLines, daily, CancellationToken.None));
        Assert.StartsWith($$"""{"namespace":"tenant-a","project":"shop","period":"{{Period}}","day":"{{Period}}-01","kind":"function",""", daily.ToString(), StringComparison.Ordinal);
        var csv = new StringWriter();
        Assert.Equal(1, await UsageExport.WriteAsync(options.ConnectionString!, "tenant-a", "shop", UsageRange.Month(Period)!, daily: false, UsageFormat.Csv, csv, CancellationToken.None));
        Assert.Equal(
            ["namespace,project,period,kind,resource,metric,value,unit,days,firstDay,lastDay,accountId",
             $"tenant-a,shop,{Period},function,shop-api,invocations,14,Count,2,{Period}-01,{Period}-02,123456789012"],
            csv.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_settled_day_is_left_as_it_is_and_the_database_refuses_to_change_it()
    {
        var options = await MigratedStoreAsync();
        var settled = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-(AuditSchema.UsageSettleDays + 5));
        await using var ledger = new PostgresUsageLedger(Options.Create(options));
        await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 10) with { Day = settled }], CancellationToken.None);

        await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 99) with { Day = settled }], CancellationToken.None);

        Assert.Equal(10, Assert.Single(await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", PeriodOf(settled), CancellationToken.None)).Figure.Value);
        var database = AppendOnlyTests.Database(options);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Server.PsqlAsync("UPDATE openkbs_audit.usage SET value = 1", database));
        Assert.Contains("settled", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE openkbs_audit.usage SET project = 'blog'", "not what it belongs to")]
    [InlineData("DELETE FROM openkbs_audit.usage", "kept for the retention")]
    [InlineData("BEGIN; SET LOCAL openkbs_audit.purging = 'on'; DELETE FROM openkbs_audit.usage; COMMIT;", "kept for the retention")]
    [InlineData("TRUNCATE openkbs_audit.usage", "TRUNCATE on usage refused")]
    public async Task Triggers_refuse_the_owner_to_reattribute_or_remove_young_figures(string sql, string message)
    {
        var options = await MigratedStoreAsync();
        await using (var ledger = new PostgresUsageLedger(Options.Create(options)))
        {
            await ledger.RecordAsync(Shop, [Figure(1, "function", "shop-api", UsageMetrics.Invocations, 10)], CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Server.PsqlAsync(sql, AppendOnlyTests.Database(options)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        var day = Assert.Single(await UsageExport.ReadDaysAsync(options.ConnectionString!, "tenant-a", "shop", Period, CancellationToken.None));
        Assert.Equal(("shop", 10d), (day.Project, day.Figure.Value));
    }

    [Fact]
    public async Task The_purge_removes_only_whole_months_older_than_the_retention()
    {
        var options = await MigratedStoreAsync(retentionDays: 30);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var oldest = new DateOnly(today.Year, today.Month, 1).AddMonths(-3);
        var lastExpired = new DateOnly(today.AddDays(-30).Year, today.AddDays(-30).Month, 1).AddDays(-1);
        var keptMonth = lastExpired.AddDays(1); // its month began more than 30 days ago only in part: kept whole
        await using (var ledger = new PostgresUsageLedger(Options.Create(options)))
        {
            await ledger.RecordAsync(Shop,
            [
                Figure(1, "function", "shop-api", UsageMetrics.Invocations, 1) with { Day = oldest },
                Figure(1, "function", "shop-api", UsageMetrics.Invocations, 2) with { Day = lastExpired },
                Figure(1, "function", "shop-api", UsageMetrics.Invocations, 3) with { Day = keptMonth },
                Figure(1, "function", "shop-api", UsageMetrics.Invocations, 4) with { Day = today },
            ], CancellationToken.None);
        }

        var database = AppendOnlyTests.Database(options);
        Assert.Equal("2", (await store.Server.PsqlAsync("SELECT openkbs_audit.purge_expired()", database)).Trim());

        var kept = await store.Server.PsqlAsync("SELECT string_agg(value::text, ',' ORDER BY day) FROM openkbs_audit.usage", database);
        Assert.Equal("3,4", kept.Trim());
        Assert.Equal($"{keptMonth:yyyy-MM-dd}|2", (await store.Server.PsqlAsync("SELECT purged_before || '|' || purged_count FROM openkbs_audit.usage_purge_log", database)).Trim());
        Assert.Equal("0", (await store.Server.PsqlAsync("SELECT openkbs_audit.purge_expired()", database)).Trim());
    }

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-13", false)]
    [InlineData("2026-1", false)]
    [InlineData("November", false)]
    [InlineData("2026-11-01", false)]
    public void Periods_are_months(string period, bool valid) => Assert.Equal(valid, UsageExport.IsPeriod(period));

    private static string PeriodOf(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task<AuditStoreOptions> MigratedStoreAsync(int retentionDays = 400)
    {
        var options = await store.NewStoreAsync(retentionDays);
        await using var journal = AuditStoreFixture.Journal(options);
        await journal.InitializeAsync(CancellationToken.None);
        return options;
    }

    private static UsageFigure Figure(int day, string kind, string resource, string metric, double value) => new()
    {
        Day = Month.AddDays(day - 1),
        Kind = kind,
        Resource = resource,
        Metric = metric,
        Value = value,
        Unit = metric switch { UsageMetrics.StorageBytes => "Bytes", UsageMetrics.AcuHours => "ACU-hours", _ => "Count" },
    };
}
