using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.ClientAccounts;

/// <summary>
/// 25 ClientAccounts applied at once to <c>openkbs run</c>: at the proxy, never more than 5 creations in flight and, while
/// any waits, 5 kept in flight (utilisation target 95 %). AWS takes 10 s a creation here (real AWS: minutes; override with
/// OPENKBS_SLOT_CREATION_SECONDS), so the operator's hand-over time counts as it would in production. Behind
/// <c>make chaos</c> (two minutes of wall time); OPENKBS_SLOT_TRACE=1 prints every AWS call.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SlotUtilisationTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    [SkippableFact]
    public async Task Twenty_five_ClientAccounts_keep_five_creations_in_flight_while_any_wait()
    {
        Skip.IfNot(Chaos.Enabled, "a one-minute measurement: run with make chaos (OPENKBS_CHAOS=1)");
        var duration = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("OPENKBS_SLOT_CREATION_SECONDS") ?? "10", System.Globalization.CultureInfo.InvariantCulture));
        await using var proxy = await OrganizationProxy.StartAsync(moto, $"realism=on,org-polls=0,org-delay={duration.TotalSeconds}s,empty-pages=0.1,seed=25", duration);
        var ns = await sandbox.CreateNamespaceAsync("slots");
        var environment = OperatorProcess.AwsEnvironment(proxy.Endpoint).Concat(OperatorProcess.FastWaits()).ToDictionary();
        environment["OPENKBS_ClientAccount__WaitWhileAccountCreating"] = "00:00:30";
        environment["OPENKBS_ClientAccount__WaitAtQueueHead"] = "00:00:00.250";
        await using var op = OperatorProcess.Start(sandbox.KubeconfigPath, [ns], environment);

        var manifests = Enumerable.Range(1, 25).Select(i => ClientAccountApi.Manifest(ns, $"client-{i:D2}", $"aws+client-{i:D2}@example.com"));
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, string.Join("---\n", manifests), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        await ClientAccountApi.WaitAllReadyAsync(sandbox.Client, ns, 25, TimeSpan.FromMinutes(5) + (duration * 6), diagnostics: () => op.Output);

        var utilisation = proxy.Timeline.Utilisation(5);
        var gaps = proxy.Timeline.HandOverGaps(5);
        output.WriteLine($"25 ClientAccounts, AWS creation {duration.TotalSeconds} s, poll 30 s, queue head 250 ms: max in flight {proxy.Timeline.MaxInFlight()}, utilisation {utilisation:P1}; "
            + $"hand-over (slot free -> next CreateAccount accepted) median {gaps[gaps.Count / 2].TotalSeconds:0.00} s, max {gaps[^1].TotalSeconds:0.00} s; "
            + $"load average {LoadAverage()}");
        if (Environment.GetEnvironmentVariable("OPENKBS_SLOT_TRACE") == "1")
        {
            // Every call at the AWS boundary (sent, answered, operation, status): where a hand-over's time went.
            foreach (var call in proxy.Timeline.Calls.OrderBy(c => c.Start))
            {
                output.WriteLine($"TRACE {call.Start.TotalSeconds,8:0.000} {call.End.TotalSeconds,8:0.000} {call.Operation} {call.Status}");
            }
        }

        Assert.Equal(25, proxy.Timeline.Accepted.Count);
        Assert.Equal(5, proxy.Timeline.MaxInFlight());
        Assert.Equal(0, proxy.Engine.Stats.Realism("CreateAccountRateLimited"));
        Assert.True(utilisation >= 0.95, $"utilisation {utilisation:P1} is below 95 %");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
