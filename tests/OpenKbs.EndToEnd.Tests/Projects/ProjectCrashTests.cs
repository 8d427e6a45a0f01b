using System.Diagnostics;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// Crash safety of Projects: while the example project converges in its client's account, <c>openkbs run</c> is killed with
/// SIGKILL at seeded random instants (after a seeded number of AWS writes), then started again; in the end the project is Ready and every AWS resource exists exactly
/// once (one KMS key, one bucket, one cluster and instance, one distribution and origin access control, one schedule group,
/// the spec's functions and schedules), and the API key handed over in the Secret is the one the functions accept (nothing
/// lost). Every other run goes through 20% throttling. <c>make test</c>: 2 runs; <c>make chaos</c>: 10 (OPENKBS_PROJECT_CRASH_RUNS,
/// OPENKBS_CRASH_SEED to replay one).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ProjectCrashTests(CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    private const int KillsPerRun = 3;

    /// <summary>Kill instants are drawn among the first AWS writes of the convergence (KMS key, bucket and its settings, artifact
    /// copy, roles, keys, functions, cluster, distribution, schedule, ...).</summary>
    private const int MaxWritesBeforeKill = 40;

    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("OPENKBS_PROJECT_CRASH_RUNS"), out var runs) && runs > 0 ? runs : Chaos.Enabled ? 10 : 2;

    [Fact]
    public async Task Killing_the_operator_while_a_project_converges_never_duplicates_or_loses_anything()
    {
        var total = Stopwatch.StartNew();
        for (var run = 0; run < Runs; run++)
        {
            await RunAsync(Chaos.FirstSeed + run, throttled: run % 2 == 1);
        }

        output.WriteLine($"{Runs} runs x {KillsPerRun} kills: {total.Elapsed.TotalSeconds:0} s ({total.Elapsed.TotalSeconds / Runs:0.0} s a run)");
    }

    private async Task RunAsync(int seed, bool throttled)
    {
        var random = new Random(seed);
        var chaos = $"realism=on,seed={seed}" + (throttled ? ",throttle=0.2" : string.Empty);
        await using var world = await TenantWorld.StartAsync(sandbox, chaos);
        var ns = await world.NamespaceAsync($"crash{seed}");
        await world.ApplyAsync(TenantWorld.ExampleTenant(ns));

        // The account first (its own crash safety is ClientAccount's proof), then kills while the project converges.
        world.StartOperator();
        var accountId = await world.AccountIdAsync(ns);
        // Kill instants: after a seeded number of AWS writes (so they spread over the whole convergence, whatever the
        // machine's speed), counted by the proxy from the moment the account is Ready.
        var writesBefore = AwsCalls.Writes(world.Proxy.Engine.Stats.RequestsByOperation);
        var targets = Enumerable.Range(0, KillsPerRun).Select(_ => random.Next(1, MaxWritesBeforeKill)).Order().ToList();
        var kills = new List<string>();
        foreach (var target in targets)
        {
            if (world.Operator!.HasExited)
            {
                world.StartOperator();
            }

            var waited = Stopwatch.StartNew();
            for (var poll = 1; AwsCalls.Writes(world.Proxy.Engine.Stats.RequestsByOperation) - writesBefore < target
                 && !world.Operator!.HasExited && waited.Elapsed < TenantWorld.Converge; poll++)
            {
                await Task.Delay(5);
                if (poll % 100 == 0 && await ProjectApi.GetAsync(world.Client, ns, "shop") is { } converged && ProjectApi.IsReady(converged))
                {
                    break; // fewer writes than drawn: the kill lands on a Ready project, which must stay so
                }
            }

            Assert.False(world.Operator!.HasExited, $"seed {seed}: the operator exited on its own:\n{world.Diagnostics()}");
            world.KillOperator();
            var project = await ProjectApi.GetAsync(world.Client, ns, "shop");
            var done = project?.Status?.Conditions.Where(c => c.Status == "True").Select(c => c.Type) ?? [];
            kills.Add($"after write {AwsCalls.Writes(world.Proxy.Engine.Stats.RequestsByOperation) - writesBefore} (target {target}; True so far: {string.Join(",", done)})");
        }

        world.StartOperator();
        var ready = await ProjectApi.WaitReadyAsync(world.Client, ns, "shop", TenantWorld.Converge,
            () => $"seed {seed} ({chaos}), kills: {string.Join("; ", kills)}\n{world.Diagnostics()}");

        var client = await world.ClientAsync(accountId);
        var what = $"seed {seed} ({chaos}), kills: {string.Join("; ", kills)}";
        // Exactly the project key and the access signing key (docs/access.md), the spec's functions plus the access function.
        var access = ready.Status!.Access;
        var expectedKeys = new[] { ready.Status.Storage!.KmsKeyArn, access?.SigningKeyId }.OfType<string>().Select(k => k.Split('/')[^1]).Order(StringComparer.Ordinal).ToList();
        var keys = (await client.KeysAsync()).Order(StringComparer.Ordinal).ToList();
        Assert.True(keys.SequenceEqual(expectedKeys), $"{what}\nKMS keys: {string.Join(", ", keys)}; expected {string.Join(", ", expectedKeys)}");
        // The project bucket and its CloudFront access-log bucket (docs/usage.md), each exactly once.
        var buckets = (await client.BucketsAsync()).Order(StringComparer.Ordinal).ToList();
        Assert.True(buckets.SequenceEqual([ready.Status.Storage!.BucketName!, ready.Status.Storage!.BucketName! + "-cdnlogs"]), $"{what}\nbuckets: {string.Join(", ", buckets)}");
        Assert.Equal(ready.Spec.Functions!.Count + (access?.FunctionName is null ? 0 : 1), (await client.FunctionsAsync()).Count);
        Assert.Single(await client.ClustersAsync());
        Assert.Single((await client.JsonAsync("rds", "describe-db-instances")).GetProperty("DBInstances").EnumerateArray());
        Assert.Single(await client.DistributionsAsync());
        var oacs = (await client.JsonAsync("cloudfront", "list-origin-access-controls")).GetProperty("OriginAccessControlList");
        Assert.Equal(access?.FunctionUrl is null ? 1 : 2, (oacs.TryGetProperty("Items", out var items) ? items.EnumerateArray().ToList() : []).Count); // bucket (+ access function URL)
        Assert.Equal(ready.Spec.Schedules!.Count, (await client.SchedulesAsync()).Count);
        var groups = (await client.JsonAsync("scheduler", "list-schedule-groups")).GetProperty("ScheduleGroups").EnumerateArray()
            .Select(g => g.GetProperty("Name").GetString()).Where(n => n != "default").ToList();
        Assert.Single(groups);

        // Every key of the spec (the example has two) is handed over once and accepted exactly once: nothing lost, nothing doubled.
        var handedOver = new List<string>();
        foreach (var key in ready.Spec.ApiKeys!)
        {
            var hash = SealedSetting.Sha256Hex(await SealedSetting.HandedOverKeyAsync(world.Client, ns, "shop", key.Name));
            Assert.Equal(hash, ready.Status!.ApiKeys!.Single(k => k.Name == key.Name).Sha256);
            handedOver.Add(hash);
        }

        Assert.Equal(handedOver.Order(StringComparer.Ordinal), (await SealedSetting.AcceptedKeyHashesAsync(client, ready, sandbox.WorkDirectory)).Order(StringComparer.Ordinal));
        output.WriteLine($"{what}\n-> Ready, no duplicates; AWS calls {world.Proxy.Engine.Stats.Requests}, throttled {world.Proxy.Engine.Stats.Count(Sandbox.Aws.Chaos.AwsFaultKind.Throttle)}");
    }
}
