using Microsoft.Extensions.Time.Testing;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

[Collection(MotoCollection.Name)]
public sealed class CreationQueueFlowTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Beyond_the_slots_ClientAccounts_queue_first_come_first_served_and_take_slots_AWS_frees()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var engine = new AwsChaosEngine(AwsChaosSpec.Parse("realism=on,org-polls=0,org-delay=60s,empty-pages=0"), time);
        var options = AccountProcess.Fast();
        options.MaxCreationsInFlight = 2;
        using var process = new AccountProcess(moto.Endpoint, new InMemoryStatusStore(), new ListCache(), options, awsHandlers: [new AwsChaosHandler(engine)]);
        await AwsHost.CreateOrganizationAsync(process.Aws.Organizations);
        var accounts = Enumerable.Range(1, 4).Select(i => process.Apply(Fixtures.Account($"c{i}"))).ToList();

        // The youngest asks first: it must still wait behind the three older ones.
        await process.ReconcileAsync(accounts[3]);
        Assert.Equal((AccountState.Queued, 2), State(process, accounts[3]));
        foreach (var account in accounts.Take(3))
        {
            await process.ReconcileAsync(account);
        }

        Assert.Equal((AccountState.Creating, (int?)null), State(process, accounts[0]));
        Assert.Equal((AccountState.Creating, (int?)null), State(process, accounts[1]));
        Assert.Equal((AccountState.Queued, 1), State(process, accounts[2]));
        Assert.Equal(2, process.Queue.InFlight);
        Assert.Equal(2, process.Aws.Log.Count("CreateAccount"));

        // The head of the queue asks AWS again: both still in progress.
        await process.ReconcileAsync(accounts[2]);
        Assert.Equal((AccountState.Queued, 1), State(process, accounts[2]));

        // AWS finishes both before their owners poll: the head sees it and takes a slot, the next one too.
        time.Advance(TimeSpan.FromSeconds(61));
        await process.ReconcileAsync(accounts[2]);
        Assert.Equal((AccountState.Creating, (int?)null), State(process, accounts[2]));
        await process.ReconcileAsync(accounts[3]);
        Assert.Equal((AccountState.Creating, (int?)null), State(process, accounts[3]));
        Assert.Equal(2, process.Queue.InFlight);
        Assert.Equal(4, process.Aws.Log.Count("CreateAccount"));

        time.Advance(TimeSpan.FromSeconds(61));
        foreach (var account in accounts)
        {
            await process.ReconcileUntilAsync(account, r => r.Outcome == ReconcileOutcome.Done);
        }

        Assert.Equal(4, process.Aws.Log.Count("CreateAccount"));
        Assert.Equal(0, process.Queue.InFlight);
        Assert.Equal(0, engine.Stats.Realism("CreateAccountRateLimited"));
    }

    private static (AccountState?, int?) State(AccountProcess process, ClientAccount account)
    {
        var status = process.Read(account).Status!;
        return (status.State, status.QueuePosition);
    }
}
