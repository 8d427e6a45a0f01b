using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.AccountTransfers.Inventory;

namespace OpenKbs.Controllers.Tests.AccountTransfers;

public sealed class HandOverReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    internal static AccountInventory Inventory(DateTimeOffset at, long versions = 5, string code = "c0de=", string clusterStatus = "available", DateTimeOffset? restorable = null) => new()
    {
        AccountId = "409386123377",
        Region = "eu-central-1",
        TakenAt = at,
        Functions = [new FunctionItem("shop-api", code, "nodejs24.x", 1234), new FunctionItem("shop-report", "r3p0rt=", "nodejs24.x", 99)],
        Buckets = [new BucketItem("okbs-shop-data", 3, versions, 1, 4096)],
        DatabaseClusters = [new DatabaseClusterItem("okbs-shop", clusterStatus, "aurora-postgresql", restorable ?? at.AddMinutes(-5))],
        Distributions = [new DistributionItem("E2ABC", "d111.cloudfront.net", "Deployed", true)],
        Schedules = [new ScheduleItem("okbs-shop", "nightly", "ENABLED")],
        Keys = [new KeyItem("alias/okbs-shop", "k-1", "Enabled")],
    };

    private static HandOverFacts Facts(AccountInventory after) => new()
    {
        Namespace = "acme",
        AccountTransfer = "acme-handover",
        ClientAccount = "acme",
        AccountId = "409386123377",
        NewRootEmail = "it@acme.example",
        Region = "eu-central-1",
        RemovedAt = T0.AddHours(1),
        GeneratedAt = T0.AddHours(1).AddMinutes(1),
        Before = Inventory(T0),
        After = after,
        Steps = [new TransferStep { Name = TransferStepName.Preflight, State = TransferStepState.Succeeded, LastTransitionTime = T0.UtcDateTime, Message = "2 projects | on hold" }],
        NextSteps = ["Delete the role"],
    };

    [Fact]
    public void Same_facts_give_the_same_bytes_and_the_hashes_are_the_sha256_of_those_bytes()
    {
        var a = HandOverReport.Build(Facts(Inventory(T0.AddHours(1), versions: 6, restorable: T0.AddMinutes(50))));
        var b = HandOverReport.Build(Facts(Inventory(T0.AddHours(1), versions: 6, restorable: T0.AddMinutes(50))));

        Assert.Equal(a.Json, b.Json);
        Assert.Equal(a.Markdown, b.Markdown);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(a.Json))), a.JsonSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(a.Markdown))), a.MarkdownSha256);
        Assert.True(a.Comparison.Matches);

        using var json = JsonDocument.Parse(a.Json);
        var root = json.RootElement;
        Assert.Equal(HandOverReport.Format, root.GetProperty("format").GetString());
        Assert.Equal("c0de=", root.GetProperty("inventory").GetProperty("before").GetProperty("functions")[0].GetProperty("codeSha256").GetString());
        Assert.Equal(6, root.GetProperty("inventory").GetProperty("after").GetProperty("buckets")[0].GetProperty("versions").GetInt64());
        Assert.True(root.GetProperty("comparison").GetProperty("matches").GetBoolean());
        Assert.Equal("Preflight", root.GetProperty("steps")[0].GetProperty("name").GetString());
        Assert.Equal("Delete the role", root.GetProperty("nextSteps")[0].GetString());

        Assert.StartsWith("# Hand-over of AWS account 409386123377\n", a.Markdown, StringComparison.Ordinal);
        Assert.Contains("| shop-api | c0de= | c0de= |", a.Markdown, StringComparison.Ordinal);
        Assert.Contains("| okbs-shop-data | 3 | 5 | 3 | 6 |", a.Markdown, StringComparison.Ordinal);
        Assert.Contains("| Preflight | Succeeded | 2026-12-05T08:00:00Z | 2 projects \\| on hold |", a.Markdown, StringComparison.Ordinal);
        Assert.Contains("1. Delete the role", a.Markdown, StringComparison.Ordinal);
        Assert.Contains("Nothing was lost or changed", a.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Lost_versions_changed_code_a_cluster_not_available_or_gone_back_and_missing_items_are_each_named()
    {
        var after = Inventory(T0.AddHours(1), versions: 4, code: "other=", clusterStatus: "stopped", restorable: T0.AddMinutes(-30)) with
        {
            Distributions = [],
            Schedules = [],
            Keys = [new KeyItem("alias/okbs-shop", "k-1", "PendingDeletion")],
            Functions = [new FunctionItem("shop-api", "other=", "nodejs24.x", 1)],
        };

        var report = HandOverReport.Build(Facts(after));

        Assert.False(report.Comparison.Matches);
        Assert.Equal(
            [
                "function shop-api: code SHA-256 c0de= became other=",
                "function shop-report is missing",
                "bucket okbs-shop-data: 5 object versions became 4",
                "database cluster okbs-shop is stopped, not available",
                "database cluster okbs-shop: latest restorable time went back from 2026-12-05T07:55:00.0000000+00:00 to 2026-12-05T07:30:00.0000000+00:00",
                "distribution E2ABC is missing",
                "schedule okbs-shop/nightly is missing",
                "key alias/okbs-shop is PendingDeletion",
            ],
            report.Comparison.Differences);
        Assert.Contains("- bucket okbs-shop-data: 5 object versions became 4", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("| shop-report | r3p0rt= | missing |", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Added_items_and_more_versions_are_not_differences_and_the_summary_counts_them()
    {
        var before = Inventory(T0);
        var after = Inventory(T0.AddHours(1), versions: 9) with { Functions = [.. before.Functions, new FunctionItem("new", "n=", null, null)] };

        Assert.True(InventoryComparison.Of(before, after).Matches);
        Assert.Equal("3 functions, 1 bucket (3 objects, 9 versions), 1 database cluster, 1 distribution, 1 schedule, 1 key", after.Summary());
    }
}
