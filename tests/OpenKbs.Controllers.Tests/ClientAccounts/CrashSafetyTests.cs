using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary>
/// The crash-safety table of docs/clientaccount.md, instant by instant: the first process dies there (only what it
/// persisted survives), a fresh process takes over, and exactly one account exists in the end.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class CrashSafetyTests(MotoServerFixture moto) : IAsyncLifetime
{
    private AwsChaosEngine Engine { get; } = new(AwsChaosSpec.Parse("realism=on,org-polls=2,empty-pages=0.1,seed=5"));

    /// <summary>A fresh process finishes the pass: exactly one account with acme's email, recorded in status, Ready.</summary>
    private static async Task ConvergesToOneReadyAccountAsync(AccountProcess process, ClientAccount acme)
    {
        await process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);

        var accounts = (await process.Aws.Organizations.ListAccountsAsync(new ListAccountsRequest())).Accounts.Where(a => a.Email == "aws+acme@example.com").ToList();
        var account = Assert.Single(accounts);
        var status = process.Read(acme).Status!;
        Assert.Equal(account.Id, status.AccountId);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
    }

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>instant, save to fail (1 marker, 2 request id, 3 account id), operation to crash at, after AWS executed it, CreateAccount calls by the second process.</summary>
    public static TheoryData<string, int?, string?, bool, int, bool> Instants
    {
        get
        {
            var rows = new (string, int?, string?, bool, int)[]
            {
                ("while the marker is written", 1, null, false, 1),
                ("after the marker, before CreateAccount is sent", null, "CreateAccount", false, 1),
                ("after AWS executed CreateAccount, before its answer", null, "CreateAccount", true, 0),
                ("before the request id is written", 2, null, false, 0),
                ("after SUCCEEDED, before the account id is written", 3, null, false, 0),
                ("after the account id is written, before placement", null, "ListRoots", false, 0),
            };
            var data = new TheoryData<string, int?, string?, bool, int, bool>();
            foreach (var realism in new[] { false, true })
            {
                foreach (var (instant, save, operation, after, creates) in rows)
                {
                    data.Add(instant, save, operation, after, creates, realism);
                }
            }

            return data;
        }
    }

    /// <summary>With realism the request stays IN_PROGRESS for a few polls (recovery finds it in progress); without, moto finishes it at once.</summary>
    [Theory]
    [MemberData(nameof(Instants))]
    public async Task A_crash_at_any_instant_never_produces_a_second_account(string _, int? failOnSave, string? crashAt, bool afterExecuted, int secondProcessCreates, bool realism)
    {
        var store = new InMemoryStatusStore();
        var cache = new ListCache();
        IReadOnlyList<DelegatingHandler> Handlers() => realism ? [new AwsChaosHandler(Engine)] : [];
        Func<IOrganizationsClient, IOrganizationsClient>? wrap = crashAt is null ? null : org => CrashingOrganizations.Wrap(org, crashAt, afterExecuted);
        int firstCreates;
        ClientAccount acme;
        using (var first = new AccountProcess(moto.Endpoint, store, cache, wrap: wrap, awsHandlers: Handlers()))
        {
            await AwsHost.CreateOrganizationAsync(first.Aws.Organizations);
            acme = first.Apply(Fixtures.Account("acme", s => s with { OrganizationalUnit = "Clients" }));
            store.FailOnSave = failOnSave;
            ReconcileResult result;
            var passes = 0;
            do
            {
                result = await first.ReconcileAsync(acme);
            }
            while (result.Exception is not SimulatedCrashException && ++passes < 10);

            Assert.IsType<SimulatedCrashException>(result.Exception);
            firstCreates = first.Aws.Log.Count("CreateAccount");
        }

        store.FailOnSave = null;
        using var second = new AccountProcess(moto.Endpoint, store, cache, awsHandlers: Handlers());
        await ConvergesToOneReadyAccountAsync(second, acme);
        Assert.Equal(secondProcessCreates, second.Aws.Log.Count("CreateAccount"));
        Assert.Equal(1, firstCreates + secondProcessCreates);
    }

    /// <summary>
    /// make chaos seed 1022: the operator died while AWS (the realism layer) was still checking the email of its
    /// CreateAccount. Nothing was created; the next process finds no request, creates once, and the account becomes Ready.
    /// </summary>
    [Fact]
    public async Task A_process_killed_while_AWS_checks_its_CreateAccount_leaves_an_account_that_still_becomes_Ready()
    {
        var store = new InMemoryStatusStore();
        var cache = new ListCache();
        var hangUp = new CallerHangUp();
        ClientAccount acme;
        using (var first = new AccountProcess(moto.Endpoint, store, cache, awsHandlers: [hangUp.Above, new AwsChaosHandler(Engine), hangUp.Below]))
        {
            await AwsHost.CreateOrganizationAsync(first.Aws.Organizations);
            acme = first.Apply(Fixtures.Account("acme"));
            var passes = 0;
            while (!hangUp.HungUp && ++passes < 10)
            {
                await first.ReconcileAsync(acme);
            }

            Assert.True(hangUp.HungUp, "the first process never sent CreateAccount");
        }

        using var second = new AccountProcess(moto.Endpoint, store, cache, awsHandlers: [new AwsChaosHandler(Engine)]);
        await ConvergesToOneReadyAccountAsync(second, acme);
        Assert.Equal(0, Engine.Stats.Realism("CreateAccountRateLimited"));
    }

    [Fact]
    public async Task A_stale_copy_never_sends_CreateAccount_again()
    {
        var store = new InMemoryStatusStore();
        var cache = new ListCache();
        using var process = new AccountProcess(moto.Endpoint, store, cache);
        await AwsHost.CreateOrganizationAsync(process.Aws.Organizations);
        var acme = process.Apply(Fixtures.Account("acme"));
        var stale = store.Read(ObjectKey.From(acme))!;
        await process.ReconcileAsync(acme);
        Assert.NotNull(store.Read(ObjectKey.From(acme))!.Status!.CreateAccountRequestId);

        // The informer cache still shows the object as it was before the request id was written.
        cache.Set(stale);
        await process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);

        Assert.Equal(1, process.Aws.Log.Count("CreateAccount"));
    }
}
