using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Testing.Moto;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>
/// CloudFront requests and bytes in the consumption ledger, from the distribution's standard access logs: the test plays
/// CloudFront's log delivery (real-format gzip files written into the log bucket in moto, eu-central-1), the operator's
/// wiring collects them through the member account's S3 client into PostgreSQL 15.
/// </summary>
[Collection(AuditStoreCollection.Name)]
public sealed class CdnUsageCollectionTests(AuditStoreFixture store, MotoServerFixture moto)
{
    private const string Account = "123456789012";
    private const string Region = "eu-central-1";
    private const string Fields = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
    private static readonly AwsActor Actor = new() { Controller = "Project", Namespace = "tenant-c", Kind = "Project", Name = "web", Uid = "uid-web" };

    [Fact]
    public async Task Access_logs_fill_the_daily_figures_a_partial_day_is_read_again_and_nothing_leaves_the_EU_region()
    {
        var options = await store.NewStoreAsync();
        var regions = new ConcurrentBag<string>();
        await using var services = await ServicesAsync(options, regions);
        var clients = services.GetRequiredService<IAwsClientFactory>().ForAccount(Account, "OrganizationAccountAccessRole", Region, Actor);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var cdn = new CdnLogLocation($"E{suffix.ToUpperInvariant()}", $"okbs-web-{suffix}-cdnlogs", "cloudfront/");
        var owner = new UsageOwner("tenant-c", $"web-{suffix}", Account);
        await clients.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = cdn.Bucket, ObjectOwnership = "BucketOwnerPreferred" });
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var yesterday = today.AddDays(-1);

        // Yesterday: two files (one delivered just after midnight, holding yesterday's last request); today so far: one file
        // with a malformed line (a cut-off write) that is skipped and counted.
        await DeliverAsync(clients, cdn, yesterday, 9, Line(yesterday, "09:12:01", 1_000), Line(yesterday, "09:40:00", 2_500));
        await DeliverAsync(clients, cdn, today, 0, Line(yesterday, "23:59:59", 500), Line(today, "00:00:03", 10));
        await DeliverAsync(clients, cdn, today, 1, Line(today, "01:00:00", 4_000), "2026-12-05\t01:00:01\tFRA56-C1");
        var resources = new UsageResources([], null, null, cdn);
        regions.Clear();

        var first = await services.GetRequiredService<IUsageCollector>().CollectAsync(owner, clients.CloudWatch, clients.S3, resources, now, CancellationToken.None);

        Assert.Contains("1 malformed CloudFront log line(s) skipped", first, StringComparison.Ordinal);
        var figures = await FiguresAsync(options, owner);
        Assert.Equal(3, figures[$"{yesterday:yyyy-MM-dd} {cdn.DistributionId} requests"]);
        Assert.Equal(4_000, figures[$"{yesterday:yyyy-MM-dd} {cdn.DistributionId} bytesOut"]);
        Assert.Equal(2, figures[$"{today:yyyy-MM-dd} {cdn.DistributionId} requests"]);
        Assert.Equal(4_010, figures[$"{today:yyyy-MM-dd} {cdn.DistributionId} bytesOut"]);

        // Residency: every request of the collection (STS, CloudWatch, S3 list and reads) was signed for the EU region.
        Assert.NotEmpty(regions);
        Assert.All(regions, r => Assert.Equal(Region, r));

        // Later deliveries for today arrive; the next day's collection reads today again (it was partial) and replaces it.
        await DeliverAsync(clients, cdn, today, 22, Line(today, "22:10:00", 90));
        var next = await services.GetRequiredService<IUsageCollector>().CollectAsync(
            owner, clients.CloudWatch, clients.S3, resources, new DateTimeOffset(today.AddDays(1).ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero), CancellationToken.None);

        Assert.StartsWith($"consumption from {today:yyyy-MM-dd} collected", next, StringComparison.Ordinal);
        figures = await FiguresAsync(options, owner);
        Assert.Equal(3, figures[$"{today:yyyy-MM-dd} {cdn.DistributionId} requests"]);
        Assert.Equal(4_100, figures[$"{today:yyyy-MM-dd} {cdn.DistributionId} bytesOut"]);
        Assert.Equal(3, figures[$"{yesterday:yyyy-MM-dd} {cdn.DistributionId} requests"]); // read again (late files), replaced, not added to
        Assert.All(regions, r => Assert.Equal(Region, r));
    }

    [Fact]
    public async Task A_file_delivered_two_days_late_is_counted_once_on_its_own_day_and_collecting_again_does_not_add_it_twice()
    {
        var options = await store.NewStoreAsync();
        await using var services = await ServicesAsync(options, new ConcurrentBag<string>());
        var clients = services.GetRequiredService<IAwsClientFactory>().ForAccount(Account, "OrganizationAccountAccessRole", Region, Actor);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var cdn = new CdnLogLocation($"E{suffix.ToUpperInvariant()}", $"okbs-web-{suffix}-cdnlogs", "cloudfront/");
        var owner = new UsageOwner("tenant-c", $"late-{suffix}", Account);
        await clients.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = cdn.Bucket, ObjectOwnership = "BucketOwnerPreferred" });
        var resources = new UsageResources([], null, null, cdn);
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.UtcDateTime);
        var day = today.AddDays(-2);
        var requests = $"{day:yyyy-MM-dd} {cdn.DistributionId} requests";
        var bytes = $"{day:yyyy-MM-dd} {cdn.DistributionId} bytesOut";

        // The day's own file is delivered on time and collected today.
        await DeliverAsync(clients, cdn, day, 10, Line(day, "10:05:00", 1_000));
        await services.GetRequiredService<IUsageCollector>().CollectAsync(owner, clients.CloudWatch, clients.S3, resources, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal((1L, 1_000L), (Figure(await FiguresAsync(options, owner), requests), Figure(await FiguresAsync(options, owner), bytes)));

        // Later today (two days after its requests) CloudFront delivers a late file for that day; the next day's collection
        // (three days after it) counts it on the day of its requests.
        await DeliverAsync(clients, cdn, today, 23, Line(day, "11:30:00", 250), Line(day, "11:30:01", 50));
        var nextDay = new DateTimeOffset(today.AddDays(1).ToDateTime(new TimeOnly(0, 20)), TimeSpan.Zero);
        await services.GetRequiredService<IUsageCollector>().CollectAsync(owner, clients.CloudWatch, clients.S3, resources, nextDay, CancellationToken.None);
        var figures = await FiguresAsync(options, owner);
        Assert.Equal((3L, 1_300L), (Figure(figures, requests), Figure(figures, bytes)));

        // The same collection again (another replica, or a restart that lost the in-memory mark) reads the same files again:
        // the day's total is replaced by the same value, not added to.
        var again = new DailyUsageCollector(services.GetRequiredService<IUsageLedger>(), NullLogger<DailyUsageCollector>.Instance);
        var answer = await again.CollectAsync(owner, clients.CloudWatch, clients.S3, resources, nextDay, CancellationToken.None);
        Assert.StartsWith("consumption from", answer, StringComparison.Ordinal);
        figures = await FiguresAsync(options, owner);
        Assert.Equal((3L, 1_300L), (Figure(figures, requests), Figure(figures, bytes)));

        // Once the day is older than the re-read window it is no longer read, and its figure stays.
        var later = await again.CollectAsync(owner, clients.CloudWatch, clients.S3, resources, nextDay.AddDays(DailyUsageCollector.CdnRereadDays), CancellationToken.None);
        Assert.StartsWith($"consumption from {today:yyyy-MM-dd} collected", later, StringComparison.Ordinal);
        figures = await FiguresAsync(options, owner);
        Assert.Equal((3L, 1_300L), (Figure(figures, requests), Figure(figures, bytes)));
    }

    [Fact]
    public async Task The_columns_are_found_by_the_Fields_line_whatever_their_order()
    {
        var tally = new CloudFrontLogTally();
        var reordered = Gzip(
            "#Version: 1.0",
            "#Fields: sc-bytes x-edge-location date time",
            "700\tFRA56-C1\t2026-12-05\t10:00:00",
            "not-a-number\tFRA56-C1\t2026-12-05\t10:00:01",
            "300\tFRA56-C1\t2026-12-06\t00:00:01",
            string.Empty);
        var headerless = Gzip("2026-12-05\t10:00:00\tFRA56-C1\t100");

        await CloudFrontAccessLogs.ReadAsync(new MemoryStream(reordered), tally, CancellationToken.None);
        await CloudFrontAccessLogs.ReadAsync(new MemoryStream(headerless), tally, CancellationToken.None);

        Assert.Equal((1L, 700L), tally.Days[new DateOnly(2026, 12, 5)]);
        Assert.Equal((1L, 300L), tally.Days[new DateOnly(2026, 12, 6)]);
        Assert.Equal(2, tally.Skipped); // the unreadable byte count, and the line of a file without #Fields
        Assert.Equal(2, tally.Files);
    }

    private static long Figure(Dictionary<string, double> figures, string key) => (long)figures[key];

    /// <summary>A request line in the 33-column format CloudFront writes.</summary>
    private static string Line(DateOnly day, string time, long bytes) => string.Join('\t',
        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), time, "FRA56-C1", bytes.ToString(CultureInfo.InvariantCulture), "192.0.2.10", "GET",
        "d111111abcdef8.cloudfront.net", "/index.html", "200", "-", "Mozilla/5.0%20(X11)", "-", "-", "Hit", "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
        "shop.example.eu", "https", "160", "0.001", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "443", "0.001", "Hit", "text/html", "78", "-", "-");

    /// <summary>Plays CloudFront's log delivery: one gzip file <c>{prefix}{id}.YYYY-MM-DD-HH.{unique}.gz</c>.</summary>
    private static Task DeliverAsync(IMemberAccountClients clients, CdnLogLocation cdn, DateOnly day, int hour, params string[] lines) =>
        clients.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = cdn.Bucket,
            Key = $"{CloudFrontAccessLogs.DayPrefix(cdn.Prefix, cdn.DistributionId, day)}{hour:00}.{Guid.NewGuid().ToString("N")[..8]}.gz",
            ContentBody = Gzip(["#Version: 1.0", $"#Fields: {Fields}", .. lines]),
        });

    private static byte[] Gzip(params string[] lines)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        }

        return buffer.ToArray();
    }

    /// <summary>The operator's wiring with the store migrated; every request's signing region lands in <paramref name="regions"/>.</summary>
    private async Task<ServiceProvider> ServicesAsync(AuditStoreOptions options, ConcurrentBag<string> regions)
    {
        var services = AuditStoreFixture.Services(options, moto.Endpoint, new SigningRegions(regions));
        await services.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        return services;
    }

    private static async Task<Dictionary<string, double>> FiguresAsync(AuditStoreOptions options, UsageOwner owner)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        foreach (var period in new[] { now.AddMonths(-1), now, now.AddDays(1) }.Select(d => d.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Distinct())
        {
            foreach (var (_, _, _, figure) in await UsageExport.ReadDaysAsync(options.ConnectionString!, owner.Namespace, owner.Project, period, CancellationToken.None))
            {
                figures[$"{figure.Day:yyyy-MM-dd} {figure.Resource} {figure.Metric}"] = figure.Value;
            }
        }

        return figures;
    }

    /// <summary>Records the region of each request's SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    private sealed class SigningRegions(ConcurrentBag<string> regions) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(',', values) : string.Empty;
            var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            regions.Add(at < 0 ? $"unsigned {request.RequestUri}" : authorization[(at + "Credential=".Length)..].Split('/')[2]);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
