using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.AccountTransfers;

/// <summary>
/// Crash safety and throttling of the hand-over, with <c>openkbs run</c> as a process behind the realism proxy (Account API,
/// mailbox, leave checks) and kubectl/the aws CLI as the client. The crash run kills the operator (SIGKILL) after every step of
/// the transfer in turn and during each of its three AWS mutations (StartPrimaryEmailUpdate, AcceptPrimaryEmailUpdate,
/// RemoveAccountFromOrganization), and once while AWS refuses the removal, each time starting it again; the transfer must
/// complete with every step Succeeded in order, the code accepted once, no code sent after it was accepted, the account removed
/// by exactly one call AWS carried out, and the report's hashes matching what is stored. The throttled run does the same hand-over
/// without kills through 20 % throttling and prints the figures (docs/accounttransfer.md). <c>make test</c>: a ClientAccount of its
/// own (no Project); <c>make chaos</c>: the example tenant with its Project, OPENKBS_TRANSFER_CRASH_RUNS runs (default 2, the second
/// throttled too), OPENKBS_CRASH_SEED to replay one.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccountTransferCrashTests(CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    private const string Transfer = "handover";
    private const string Start = "StartPrimaryEmailUpdate";
    private const string Accept = "AcceptPrimaryEmailUpdate";
    private const string Remove = "RemoveAccountFromOrganization";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("OPENKBS_TRANSFER_CRASH_RUNS"), out var runs) && runs > 0 ? runs : Chaos.Enabled ? 2 : 1;

    [Fact]
    public async Task Killing_the_operator_at_every_step_of_a_transfer_repeats_nothing_and_loses_nothing()
    {
        for (var run = 0; run < Runs; run++)
        {
            await RunAsync(Chaos.FirstSeed + run, withProject: Chaos.Enabled, throttled: run % 2 == 1, kills: true);
        }
    }

    [Fact]
    public async Task Under_20_percent_throttling_a_transfer_completes_once()
    {
        await RunAsync(Chaos.FirstSeed, withProject: Chaos.Enabled, throttled: true, kills: false);
    }

    private async Task RunAsync(int seed, bool withProject, bool throttled, bool kills)
    {
        var chaos = $"realism=on,seed={seed},hang=5s" + (throttled ? ",throttle=0.2" : string.Empty);
        await using var world = await TenantWorld.StartAsync(sandbox, chaos, new Dictionary<string, string>
        {
            ["OPENKBS_AccountTransfer__WaitForClient"] = "00:00:00.500",
            ["OPENKBS_AccountTransfer__WaitForHolds"] = "00:00:00.300",
            ["OPENKBS_AccountTransfer__WaitBeforeLeaveRetry"] = "00:00:00.500",
            ["OPENKBS_AccountTransfer__AccessCheckInterval"] = "00:00:00.500",
        });
        var ns = await world.NamespaceAsync($"xcrash{seed}");
        var email = $"it-{ns}@client.example";
        var run = new Run(world, ns, output, kills, MetricsAddress());
        await world.ApplyAsync(withProject ? TenantWorld.ExampleTenant(ns) : TenantWorld.ExampleAccount(ns));
        run.StartOperator();
        var accountId = await world.AccountIdAsync(ns);
        var bucket = withProject ? (await world.WaitReadyAsync(ns)).Status!.Storage!.BucketName : null;
        var client = await world.ClientAsync(accountId);
        var clock = Stopwatch.StartNew();
        var callsBefore = world.Proxy.Engine.Stats.Requests;
        var throttlesBefore = world.Proxy.Engine.Stats.Count(AwsFaultKind.Throttle);

        // The transfer names its Secret before it exists; the code arrives by mail.
        run.HangAfterAws(Start);
        await world.ApplyAsync($"apiVersion: openkbs.com/v1alpha1\nkind: AccountTransfer\nmetadata:\n  name: {Transfer}\n  namespace: {ns}\nspec:\n  clientAccountRef:\n    name: acme\n"
            + $"  newRootEmail: {email}\n  confirmations:\n    verificationCodeSecretRef: {{name: handover-code, key: code}}\n");
        await run.KillAfterAsync("the hold checkpoint", t => t?.Status?.AccountId is not null);
        await run.KillDuringAsync(Start);
        await run.KillAfterAsync("StartEmailUpdate", t => Done(t, TransferStepName.StartEmailUpdate) && State(t, TransferStepName.VerifyEmail) == TransferStepState.Waiting);

        // The client puts the newest code from its mailbox into the Secret (a kill during the first Start may have sent a second).
        var mails = world.Proxy.Engine.Mailbox.To(email);
        Assert.NotEmpty(mails);
        run.HangAfterAws(Accept);
        await world.ApplyAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: handover-code\n  namespace: {ns}\nstringData:\n  code: {mails[^1].Code}\n");
        await run.KillDuringAsync(Accept);
        await run.KillAfterAsync("VerifyEmail", t => Done(t, TransferStepName.VerifyEmail));
        var startsWhenAccepted = Count(world, Start);
        Assert.Equal(email, (await world.Management.JsonAsync("account", "get-primary-email", "--account-id", accountId)).GetProperty("PrimaryEmail").GetString());

        await Patch(world, ns, "{\"passwordSet\":true,\"standaloneReady\":true}");
        await run.KillAfterAsync("StandaloneReadiness", t => Done(t, TransferStepName.StandaloneReadiness) && State(t, TransferStepName.Approval) == TransferStepState.Waiting);

        // Approved, but AWS refuses until the client has made the account stand alone (phone, payment, agreement).
        await Patch(world, ns, "{\"removalApproved\":true}");
        // The client completes it while the operator is down (in the throttled run while it retries on its slow timer).
        await run.KillAfterAsync("a refused removal", t => State(t, TransferStepName.RemoveFromOrganization) == TransferStepState.Waiting,
            whileDown: () =>
            {
                world.Proxy.Engine.SetStandaloneReadiness(accountId, StandaloneReadiness.Complete);
                run.HangAfterAws(Remove);
            });
        await run.KillDuringAsync(Remove, after: Count(world, Remove));
        await run.KillAfterAsync("RemoveFromOrganization", t => Done(t, TransferStepName.RemoveFromOrganization));
        await run.KillAfterAsync("HandOverReport", t => Done(t, TransferStepName.HandOverReport));

        // The client deletes OpenKBS's role from inside its account.
        var deleted = await client.RunAsync("iam", "delete-role", "--role-name", AccountSession.AccessRole);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        await run.KillAfterAsync("AccessRevoked", t => Done(t, TransferStepName.AccessRevoked));
        var transfer = await run.WaitAsync("Completed", t => t?.Status?.Phase == TransferPhase.Completed);
        var elapsed = clock.Elapsed;
        var passes = run.Passes();
        var refusedRemovals = world.Proxy.Engine.Stats.Realism("LeaveRefused");
        var what = $"seed {seed} ({chaos}{(withProject ? ", with the example Project" : ", ClientAccount only")}), kills: {string.Join("; ", run.Kills)}";

        // Every step once, in order; the code accepted once and no code sent after it; one removal AWS carried out.
        Assert.Equal(Enum.GetValues<TransferStepName>(), transfer.Status!.Steps!.Select(s => s.Name));
        Assert.All(transfer.Status.Steps!, s => Assert.True(s.State == TransferStepState.Succeeded, $"{what}\n{s.Name}: {s.State} {s.Message}"));
        var times = transfer.Status.Steps!.Select(s => s.LastTransitionTime!.Value).ToList();
        Assert.Equal(times.Order(), times);
        Assert.True(Executed(world, Accept) == 1, $"{what}\n{Accept} carried out {Executed(world, Accept)} times\n{world.Diagnostics()}");
        Assert.Equal(startsWhenAccepted, Count(world, Start));
        // Killed during StartPrimaryEmailUpdate, the operator cannot know whether AWS mailed a code (no API tells): it asks for a
        // new one, and the client uses the newest mail.
        Assert.Equal(kills ? 2 : 1, Executed(world, Start));
        Assert.True(Executed(world, Remove) == refusedRemovals + 1, $"{what}\n{Remove} carried out {Executed(world, Remove)} times, {refusedRemovals} of them refused\n{world.Diagnostics()}");
        Assert.Equal("AccountNotFoundException", (await world.Management.RunAsync("organizations", "describe-account", "--account-id", accountId)).ErrorCode);

        // Nothing lost: the report's hashes match what is stored, before and after inventories match.
        var summary = await world.Client.CoreV1.ReadNamespacedConfigMapAsync($"{Transfer}-handover", ns);
        Assert.Equal(transfer.Status.Report!.JsonSha256, summary.Data["report.json.sha256"]);
        Assert.Contains("match, nothing lost", summary.Data["summary.md"], StringComparison.Ordinal);
        if (bucket is not null)
        {
            var file = Path.Combine(sandbox.WorkDirectory, Guid.NewGuid().ToString("N"));
            var report = transfer.Status.Report.S3!;
            Assert.Equal(bucket, report.Bucket);
            var download = await client.RunAsync("s3api", "get-object", "--bucket", report.Bucket, "--key", report.Key + ".json", file);
            Assert.True(download.ExitCode == 0, download.ToString());
            Assert.Equal(transfer.Status.Report.JsonSha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
            Assert.NotNull((await ProjectApi.GetAsync(world.Client, ns, "shop"))!.Status!.TransferredAt);
        }

        Assert.Equal(AccountState.Transferred, (await ClientAccountApi.GetAsync(world.Client, ns, "acme"))!.Status!.State);
        var calls = world.Proxy.Engine.Stats.Requests - callsBefore;

        // Released: the operator (restarted after the last kill) makes no AWS call any more.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(world.Proxy.Engine.Stats.Requests - callsBefore == calls, $"{what}\nAWS calls after the transfer completed:\n{world.Diagnostics()}");
        output.WriteLine($"{what}\n-> Completed in {elapsed.TotalSeconds:0.0} s; passes {passes}; AWS calls {calls} (throttled {world.Proxy.Engine.Stats.Count(AwsFaultKind.Throttle) - throttlesBefore}); "
            + $"{Start} {Count(world, Start)}, {Accept} {Count(world, Accept)}, {Remove} {Count(world, Remove)} (sent; {refusedRemovals} refused before the account could stand alone)");
        output.WriteLine(string.Join("\n", transfer.Status.Steps!.Select(s => $"  {s.LastTransitionTime:HH:mm:ss.fff} {s.Name}: {s.Message}")));
    }

    private static Task Patch(TenantWorld world, string ns, string confirmations) =>
        Kubectl.RunAsync(world.Sandbox.KubeconfigPath, null, "-n", ns, "patch", "accounttransfer", Transfer, "--type", "merge", "-p", "{\"spec\":{\"confirmations\":" + confirmations + "}}")
            .ContinueWith(t => Assert.True(t.Result.ExitCode == 0, t.Result.Error), TaskScheduler.Default);

    private static bool Done(AccountTransfer? transfer, TransferStepName step) => State(transfer, step) == TransferStepState.Succeeded;

    private static TransferStepState? State(AccountTransfer? transfer, TransferStepName step) => transfer?.Status?.Steps?.FirstOrDefault(s => s.Name == step)?.State;

    /// <summary>Calls of <paramref name="operation"/> that reached the proxy (retries of throttled ones included).</summary>
    private static long Count(TenantWorld world, string operation) =>
        world.Proxy.Engine.Stats.RequestsByOperation.Where(p => p.Key.EndsWith(":" + operation, StringComparison.Ordinal)).Sum(p => p.Value);

    /// <summary>Calls of <paramref name="operation"/> AWS carried out: those the proxy answered with a fault before the backend saw them are left out.</summary>
    private static long Executed(TenantWorld world, string operation)
    {
        var stats = world.Proxy.Engine.Stats;
        return Count(world, operation) - stats.FaultLog.Count(f => f.Operation == operation && !f.AfterBackend);
    }

    private static string MetricsAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    /// <summary>One run: the operator started, killed and started again; the kills made so far.</summary>
    private sealed class Run(TenantWorld world, string ns, ITestOutputHelper output, bool kills, string metrics)
    {
        private long _passesBefore;

        public List<string> Kills { get; } = [];

        public void StartOperator() => world.StartOperator(metrics);

        /// <summary>In a crash run, the next <paramref name="operation"/> is carried out by AWS but its answer hangs (then drops), so
        /// the kill in <see cref="KillDuringAsync"/> lands in the middle of the call.</summary>
        public void HangAfterAws(string operation)
        {
            if (kills)
            {
                world.Proxy.Engine.ScriptFault(AwsFaultKind.Timeout, operation: operation, afterBackend: true);
            }
        }

        /// <summary>Waits until the transfer shows <paramref name="until"/>, then (in a crash run) kills the operator and starts it again.</summary>
        /// <param name="whileDown">What the client does while the operator is down (or at once without kills).</param>
        public async Task KillAfterAsync(string label, Func<AccountTransfer?, bool> until, Action? whileDown = null)
        {
            await WaitAsync(label, until);
            await KillAsync($"after {label}", whileDown);
        }

        /// <summary>Kills the operator the moment the proxy sees <paramref name="operation"/> sent more than <paramref name="after"/>
        /// times: AWS carries it out, the operator never learns the answer.</summary>
        public async Task KillDuringAsync(string operation, long after = 0)
        {
            var deadline = Stopwatch.StartNew();
            while (Count(world, operation) <= after)
            {
                Assert.True(deadline.Elapsed < StepTimeout, $"{operation} was not sent\n{world.Diagnostics()}");
                Assert.False(world.Operator!.HasExited, $"the operator exited on its own:\n{world.Diagnostics()}");
                await Task.Delay(2);
            }

            await KillAsync($"during {operation}");
        }

        public async Task<AccountTransfer> WaitAsync(string label, Func<AccountTransfer?, bool> until)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var transfer = await GetAsync();
                if (until(transfer))
                {
                    return transfer!;
                }

                Assert.False(world.Operator!.HasExited, $"the operator exited on its own:\n{world.Diagnostics()}");
                if (deadline.Elapsed > StepTimeout)
                {
                    throw new Xunit.Sdk.XunitException($"{label} not reached; kills: {string.Join("; ", Kills)}\n{(transfer is null ? "gone" : KubernetesJson.Serialize(transfer.Status))}\n{world.Diagnostics()}");
                }

                await Task.Delay(20);
            }
        }

        /// <summary>AccountTransfer reconcile passes of all operator runs (the last scrape of each killed run counts).</summary>
        public long Passes() => _passesBefore + Scrape();

        private async Task KillAsync(string label, Action? whileDown = null)
        {
            if (!kills)
            {
                whileDown?.Invoke();
                return;
            }

            var passes = Scrape();
            world.KillOperator();
            _passesBefore += passes;
            var transfer = await GetAsync();
            var steps = transfer?.Status?.Steps?.Where(s => s.State == TransferStepState.Succeeded).Select(s => s.Name.ToString()) ?? [];
            Kills.Add($"{label} (succeeded: {string.Join(",", steps)})");
            output.WriteLine($"killed {label}");
            whileDown?.Invoke();
            world.StartOperator(metrics);
        }

        private long Scrape()
        {
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                var text = http.GetStringAsync(new Uri($"http://{metrics}/metrics")).GetAwaiter().GetResult();
                return text.Split('\n')
                    .Where(l => l.StartsWith("controller_runtime_reconcile_total{", StringComparison.Ordinal) && l.Contains("controller=\"accounttransfer\"", StringComparison.Ordinal))
                    .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            }
            catch (HttpRequestException)
            {
                return 0;
            }
            catch (TaskCanceledException)
            {
                return 0;
            }
        }

        private async Task<AccountTransfer?> GetAsync()
        {
            try
            {
                var raw = await world.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, ns, AccountTransfer.KubePlural, Transfer);
                return KubernetesJson.Deserialize<AccountTransfer>(((JsonElement)raw).GetRawText());
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }
    }
}
