using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.CloudWatch;
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
