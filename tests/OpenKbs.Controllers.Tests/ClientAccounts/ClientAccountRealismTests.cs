using System.Collections.Concurrent;
using System.Text.Json;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Aws;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary>
/// The operator in process against the sandbox API server and moto with the AWS realism layer in its AWS pipeline
/// (CreateAccount IN_PROGRESS, at most 5 in flight per organization, empty pages) and seeded faults.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ClientAccountRealismTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output)
    : IClassFixture<CrdSandboxFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        Assert.Equal(0, (await AwsCli.RunAsync(moto.Endpoint, "organizations", "create-organization", "--feature-set", "ALL")).ExitCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Twenty_five_ClientAccounts_at_once_never_exceed_five_creations_in_flight()
    {
        var duration = TimeSpan.FromSeconds(2);
        var engine = new AwsChaosEngine(AwsChaosSpec.Parse($"realism=on,org-polls=0,org-delay={duration.TotalMilliseconds}ms,empty-pages=0.1,seed=25"));
        var timeline = new CreationTimeline { AwsDuration = duration };
        var ns = await sandbox.CreateNamespaceAsync("many");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns], awsHandlers: [timeline, new AwsChaosHandler(engine)]);
        var names = Enumerable.Range(1, 25).Select(i => $"client-{i:D2}").ToList();

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, string.Join("---\n", names.Select(n => ClientAccountApi.Manifest(ns, n, $"aws+{n}@example.com"))), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        var queuedSeen = new ConcurrentDictionary<string, int>();
        await WaitAllAsync(ns, names, c =>
        {
            if (c.Status is { State: AccountState.Queued, QueuePosition: { } position })
            {
                queuedSeen[c.Metadata.Name] = position;
            }
        });

        Assert.Equal(25, timeline.Accepted.Count);
        // Never more than the five slots; on an idle machine all five are in use at once, on a loaded one the fifth may start
        // only after the first finished, so the lower bound only says that creations overlapped.
        Assert.InRange(timeline.MaxInFlight(), 2, 5);
        Assert.Equal(0, timeline.RefusedForConcurrency);
        Assert.Equal(0, engine.Stats.Realism("CreateAccountRateLimited"));
        Assert.NotEmpty(queuedSeen);
        Assert.Contains(1, queuedSeen.Values);
        Assert.Equal(25, op.Log.Count("CreateAccount"));
        output.WriteLine("accepted: " + string.Join(", ", timeline.Accepted.Values.Order().Select(t => t.TotalSeconds.ToString("0.00"))));
        output.WriteLine($"utilisation of the 5 slots while ClientAccounts waited: {timeline.Utilisation(5):P1} (AWS creation time {duration.TotalSeconds} s)");
    }

    [Fact]
    public async Task Under_throttling_and_5xx_every_ClientAccount_converges_without_a_terminal_condition()
    {
        var engine = new AwsChaosEngine(AwsChaosSpec.Parse("throttle=0.2,error=0.05,after=0.5,seed=2026,realism=on,org-polls=1,empty-pages=0.1"));
        var ns = await sandbox.CreateNamespaceAsync("faults");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns], awsHandlers: [new AwsChaosHandler(engine)]);
        var names = Enumerable.Range(1, 8).Select(i => $"client-{i}").ToList();

        var apply = await Kubectl.RunAsync(
            sandbox.KubeconfigPath,
            string.Join("---\n", names.Select(n => ClientAccountApi.Manifest(ns, n, $"aws+{n}@example.com", $"Clients/Group{n[^1]}", "  tags:\n    team: blue\n"))),
            "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        var terminal = new ConcurrentBag<string>();
        await WaitAllAsync(ns, names, c =>
        {
            if (ClientAccountApi.ReadyReason(c) is { } reason && ConditionReasons.IsTerminal(reason))
            {
                terminal.Add($"{c.Metadata.Name}: {reason}: {Conditions.Find(c.Status!.Conditions, ConditionTypes.Ready)!.Message}");
            }
        });

        Assert.Empty(terminal);
        Assert.True(engine.Stats.Count(AwsFaultKind.Throttle) > 0 && engine.Stats.Count(AwsFaultKind.InternalError) + engine.Stats.Count(AwsFaultKind.ServiceUnavailable) > 0, "faults were injected");
        var accounts = JsonDocument.Parse((await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-accounts")).StandardOutput)
            .RootElement.GetProperty("Accounts").EnumerateArray().Select(a => a.GetProperty("Email").GetString()).ToList();
        Assert.Equal(names.Select(n => $"aws+{n}@example.com").Order(), accounts.Where(e => e!.StartsWith("aws+client-", StringComparison.Ordinal)).Order());
        output.WriteLine($"faults injected: {engine.Stats.TotalFaults} of {engine.Stats.Requests} requests; CreateAccount calls: {op.Log.Count("CreateAccount")}");
    }

    [Fact]
    public async Task An_account_made_outside_with_a_waiting_ClientAccounts_email_is_refused_by_AWS_and_reported_precisely()
    {
        // A ClientAccount that waited in the queue is not looked up again before CreateAccount (only the first look is):
        // AWS itself refuses a second account for an email, and the failure path has to turn that into the precise
        // terminal condition without creating anything.
        var engine = new AwsChaosEngine(AwsChaosSpec.Parse("realism=on,org-polls=0,org-delay=30s,seed=7"));
        var ns = await sandbox.CreateNamespaceAsync("outside");
        await using var op = await OperatorHarness.StartAsync(sandbox, moto.Endpoint, [ns], awsHandlers: [new AwsChaosHandler(engine)]);
        var names = Enumerable.Range(1, 6).Select(i => $"client-{i}").ToList();
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, string.Join("---\n", names.Select(n => ClientAccountApi.Manifest(ns, n, $"aws+{n}@example.com"))), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);

        // One of the six waits for one of the five slots (its first look found no account); someone outside takes its email.
        // The five creations take 30 s in AWS, long enough for the aws CLI to finish first even on a loaded machine (with 8 s,
        // a run under load saw the slot free before the outside account existed).
        string? late = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (late is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no ClientAccount was seen Queued");
            var all = await Task.WhenAll(names.Select(n => ClientAccountApi.GetAsync(sandbox.Client, ns, n)));
            late = all.FirstOrDefault(c => c?.Status?.State == AccountState.Queued)?.Metadata.Name;
            await Task.Delay(50);
        }

        var email = $"aws+{late}@example.com";
        var outside = await AwsCli.RunAsync(moto.Endpoint, "organizations", "create-account", "--email", email, "--account-name", "made-by-hand");
        Assert.True(outside.ExitCode == 0, outside.StandardError);
        var outsideId = JsonDocument.Parse(outside.StandardOutput).RootElement.GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString();

        var refused = await ClientAccountApi.WaitAsync(sandbox.Client, ns, late, c => ClientAccountApi.ReadyReason(c) is { } r && ConditionReasons.IsTerminal(r), TimeSpan.FromMinutes(2));
        var ready = Conditions.Find(refused!.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(ConditionReasons.TerminalEmailAlreadyExists, ready.Reason);
        Assert.Contains(outsideId!, ready.Message, StringComparison.Ordinal);
        Assert.Contains("adoptAccountId", ready.Message, StringComparison.Ordinal);
        Assert.Null(refused.Status!.AccountId);
        Assert.True(engine.Stats.Realism("CreateAccountFailed") >= 1, "the refusal came from AWS's email check, not from a lookup before creating");

        await WaitAllAsync(ns, names.Where(n => n != late).ToList(), _ => { });
        var emails = JsonDocument.Parse((await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-accounts")).StandardOutput)
            .RootElement.GetProperty("Accounts").EnumerateArray().Select(a => a.GetProperty("Email").GetString()).ToList();
        Assert.Single(emails, e => e == email);
        Assert.Equal(6, emails.Count(e => e!.StartsWith("aws+client-", StringComparison.Ordinal)));
    }

    private async Task WaitAllAsync(string ns, IReadOnlyList<string> names, Action<ClientAccount> observe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            var all = await Task.WhenAll(names.Select(n => ClientAccountApi.GetAsync(sandbox.Client, ns, n)));
            foreach (var c in all.OfType<ClientAccount>())
            {
                observe(c);
            }

            if (all.All(ClientAccountApi.IsReady))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var pending = all.Where(c => !ClientAccountApi.IsReady(c)).Select(c => $"{c?.Metadata.Name}: {c?.Status?.State} {ClientAccountApi.ReadyReason(c)}");
                throw new Xunit.Sdk.XunitException("not Ready in time: " + string.Join("; ", pending));
            }

            await Task.Delay(100);
        }
    }
}
