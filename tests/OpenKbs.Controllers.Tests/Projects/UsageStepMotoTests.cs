using OpenKbs.Controllers.Projects.Components.Usage;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The usage step against moto: one GetMetricData per refresh, nothing in between.</summary>
[Collection(MotoCollection.Name)]
public sealed class UsageStepMotoTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Consumption_is_read_once_per_refresh_interval_and_never_writes()
    {
        using var host = new ProjectStepHarness(moto, ProjectFixtures.Project("shop"), chaos: null);
        var step = ProjectStepHarness.Step<UsageStep>(l => new UsageStep(l));

        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);
        Assert.True((await step.RunAsync(host.Context(), CancellationToken.None)).IsReady);

        Assert.Equal(["GetMetricData"], host.Log.Operations.Where(o => o != "AssumeRole"));
        Assert.Empty(host.Audit.Records);
        var usage = host.Project.Status!.Usage!;
        Assert.Equal(["api", "fn1"], usage.Functions!.Select(f => f.Name));
        Assert.All(usage.Functions!, f => Assert.Equal(0, f.Invocations));
    }
}
