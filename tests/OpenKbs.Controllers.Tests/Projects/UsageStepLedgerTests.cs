using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Usage;
using OpenKbs.Testing.Moto;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// The usage step with the durable store (PostgreSQL 15) and moto: besides the hourly status refresh, one GetMetricData a day
/// collects the project's daily figures into the store; later passes of the same day send nothing more.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class UsageStepLedgerTests(MotoServerFixture moto) : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _server = await PostgresServer.CreateAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task With_a_distribution_the_day_s_access_logs_land_in_the_store_and_the_period_s_CDN_figures_in_status()
    {
        await using var provider = await ProviderAsync();
        await using var scope = provider.CreateAsyncScope();
        using var host = new ProjectStepHarness(moto, ProjectFixtures.Project("shop"), chaos: null);
        const string distribution = "E2USAGESTEP01";
        host.Project.Status = new ProjectStatus { Cdn = new CdnStatus { DistributionId = distribution } };
        var logBucket = host.Names.CdnLogBucket;
        await host.Member.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = logBucket, ObjectOwnership = "BucketOwnerPreferred" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await host.Member.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = logBucket,
            Key = $"{CdnRendering.LogPrefix}{distribution}.{day}-00.a1b2c3d4.gz",
            ContentBody = Gzip($"#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method\n{day}\t00:00:01\tFRA56-C1\t1200\t192.0.2.1\tGET\n{day}\t00:00:02\tFRA56-C1\t800\t192.0.2.2\tGET\n"),
        });
        var step = scope.ServiceProvider.GetRequiredService<UsageStep>();

        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);

        var cdn = host.Project.Status.Usage!.Cdn!;
        Assert.Equal((2L, 2000L, day), (cdn.Requests, cdn.BytesOut, cdn.Through));
        var period = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var days = await UsageExport.ReadDaysAsync(_server.ConnectionString(), host.Namespace, "shop", period, CancellationToken.None);
        Assert.Equal(2000d, Assert.Single(days, d => d.Figure.Metric == UsageMetrics.CdnBytes).Figure.Value);
        Assert.Contains($"GET /{logBucket}/{CdnRendering.LogPrefix}{distribution}.{day}-00.a1b2c3d4.gz", host.Log.Operations); // read in the project region (path style on moto)
    }

    private async Task<ServiceProvider> ProviderAsync()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOpenKbsAuditStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = _server.ConnectionString(),
            ["AuditStore:OperatorIdentity"] = "test",
        }).Build());
        services.TryAddScoped<UsageStep>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        return provider;
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task The_step_from_the_operator_wiring_collects_the_day_into_the_store_once()
    {
        // The operator's wiring: the audit store section set, the step resolved from the container (its collector injected).
        var services = new ServiceCollection().AddLogging();
        services.AddOpenKbsAuditStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = _server.ConnectionString(),
            ["AuditStore:OperatorIdentity"] = "test",
        }).Build());
        services.TryAddScoped<UsageStep>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<PostgresAuditJournal>().InitializeAsync(CancellationToken.None);
        await using var scope = provider.CreateAsyncScope();
        using var host = new ProjectStepHarness(moto, ProjectFixtures.Project("shop"), chaos: null);
        var function = host.Names.Function("api");
        await AwsCli.PutMetricDataAsync(moto.Endpoint, "AWS/Lambda", "Invocations", $"FunctionName={function}", DateTimeOffset.UtcNow.AddMinutes(-1), 6);
        var step = scope.ServiceProvider.GetRequiredService<UsageStep>();

        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);
        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);

        Assert.Equal(["GetMetricData", "GetMetricData"], host.Log.Operations.Where(o => o != "AssumeRole")); // the day's collection, the status refresh
        Assert.Empty(host.Audit.Records);
        var period = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var days = await UsageExport.ReadDaysAsync(_server.ConnectionString(), host.Namespace, "shop", period, CancellationToken.None);
        var invocations = Assert.Single(days, d => d.Figure.Metric == UsageMetrics.Invocations);
        Assert.Equal((function, 6d, host.AccountId), (invocations.Figure.Resource, invocations.Figure.Value, invocations.AccountId));
        Assert.Equal(6, Assert.Single(host.Project.Status!.Usage!.Functions!, f => f.Name == "api").Invocations);
    }
}
