using System.Diagnostics;
using System.Text.Json;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.ClientAccounts;

/// <summary>
/// Crash safety of account vending: while 10 ClientAccounts are being created, <c>openkbs run</c> is killed with SIGKILL
/// at seeded random instants (three kills a run, each once the process is talking to AWS), then started again; in
/// the end exactly 10 accounts exist and all ClientAccounts are Ready. <c>make test</c> runs a few seeds,
/// <c>make chaos</c> 50 (OPENKBS_CRASH_RUNS, OPENKBS_CRASH_SEED to replay one).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class CrashKillTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    private const int Accounts = 10;
    private const int KillsPerRun = 3;

    [Fact]
    public async Task Killing_the_operator_at_seeded_random_instants_never_creates_a_second_account()
    {
        var total = Stopwatch.StartNew();
        var creates = 0;
        for (var run = 0; run < Chaos.CrashRuns; run++)
        {
            creates += await RunAsync(Chaos.FirstSeed + run);
        }

        output.WriteLine($"{Chaos.CrashRuns} runs x {KillsPerRun} kills, {Accounts} accounts each: {total.Elapsed.TotalSeconds:0} s "
            + $"({total.Elapsed.TotalSeconds / Chaos.CrashRuns:0.0} s a run); CreateAccount accepted by AWS {creates} times for {Chaos.CrashRuns * Accounts} accounts");
    }

    private async Task<int> RunAsync(int seed)
    {
        var random = new Random(seed);
        await using var proxy = await OrganizationProxy.StartAsync(moto, $"realism=on,org-polls=1,org-delay=600ms,empty-pages=0.1,seed={seed}");
        var ns = await sandbox.CreateNamespaceAsync($"crash{seed}");
        var manifests = Enumerable.Range(1, Accounts).Select(i => ClientAccountApi.Manifest(ns, $"client-{i}", $"aws+client-{i}-{seed}@example.com", "Clients"));
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, string.Join("---\n", manifests), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        var environment = OperatorProcess.AwsEnvironment(proxy.Endpoint).Concat(OperatorProcess.FastWaits()).ToDictionary();

        var kills = new List<string>();
        for (var kill = 0; kill < KillsPerRun; kill++)
        {
            await using var op = OperatorProcess.Start(sandbox.KubeconfigPath, [ns], environment);
            var before = proxy.Engine.Stats.Requests;
            var waited = Stopwatch.StartNew();
            while (proxy.Engine.Stats.Requests == before && !op.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }

            Assert.False(op.HasExited, $"seed {seed}: the operator exited on its own:\n{op.Output}");
            var delay = random.Next(0, 1500);
            await Task.Delay(delay);
            op.Kill();
            kills.Add($"{delay} ms after its first AWS call (accepted so far: {proxy.Timeline.Accepted.Count})");
        }

        await using (var survivor = OperatorProcess.Start(sandbox.KubeconfigPath, [ns], environment))
        {
            var all = await ClientAccountApi.WaitAllReadyAsync(sandbox.Client, ns, Accounts, TimeSpan.FromMinutes(3),
                diagnostics: () => $"seed {seed}, kills: {string.Join("; ", kills)}\n{survivor.Output}");

            var emails = (await AwsCli.RunAsync(moto.Endpoint, "organizations", "list-accounts")).Json().GetProperty("Accounts").EnumerateArray()
                .Select(a => (Id: a.GetProperty("Id").GetString()!, Email: a.GetProperty("Email").GetString()!))
                .Where(a => a.Email.EndsWith($"-{seed}@example.com", StringComparison.Ordinal))
                .ToList();
            Assert.True(emails.Count == Accounts, $"seed {seed}: {emails.Count} accounts exist for {Accounts} ClientAccounts; kills: {string.Join("; ", kills)}");
            Assert.Equal(Accounts, emails.Select(a => a.Email).Distinct().Count());
            Assert.Equal(emails.Select(a => a.Id).Order(), all.Select(c => c.Status!.AccountId!).Order());
            Assert.Equal(0, proxy.Engine.Stats.Realism("CreateAccountRateLimited"));
            Assert.True(proxy.Timeline.MaxInFlight() <= 5, $"seed {seed}: {proxy.Timeline.MaxInFlight()} creations in flight");
        }

        output.WriteLine($"seed {seed}: kills {string.Join("; ", kills)}; CreateAccount accepted {proxy.Timeline.Accepted.Count}");
        return proxy.Timeline.Accepted.Count;
    }
}
