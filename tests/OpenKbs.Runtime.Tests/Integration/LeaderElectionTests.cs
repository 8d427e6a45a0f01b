using k8s;
using OpenKbs.Runtime.Tests.Widgets;
using OpenKbs.Testing;

namespace OpenKbs.Runtime.Tests.Integration;

[Collection(RuntimeSandboxCollection.Name)]
public sealed class LeaderElectionTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task Two_instances_never_reconcile_at_the_same_time_and_the_standby_takes_over_when_the_leader_stops()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        var lease = SandboxFixture.UniqueName("lease");
        RuntimeOptions Elect(RuntimeOptions o, string identity) => o with
        {
            ResyncInterval = TimeSpan.FromMilliseconds(300), // keep both instances busy if they could
            LeaderElection = new LeaderElectionOptions
            {
                Enabled = true,
                LeaseName = lease,
                LeaseNamespace = ns,
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(3),
                RetryPeriod = TimeSpan.FromMilliseconds(500),
            },
        };
        for (var i = 0; i < 4; i++)
        {
            var widget = Widget.Create(ns, $"w{i}");
            widget.Spec.Mode = "slow";
            await sandbox.Client.CreateAsync(widget);
        }

        await using var a = await TestOperator.StartAsync(sandbox, ns, log, o => Elect(o, "instance-a"));
        await using var b = await TestOperator.StartAsync(sandbox, ns, log, o => Elect(o, "instance-b"));
        await WidgetApi.EventuallyAsync(() => a.Status.IsLeader || b.Status.IsLeader, "one instance leads");
        var (leader, standby) = a.Status.IsLeader ? (a, b) : (b, a);
        await WidgetApi.EventuallyAsync(() => log.All.Count(p => p.Instance == leader.Status.Identity) >= 8, "the leader reconciles");
        Assert.False(standby.Status.IsLeader);
        Assert.True(standby.Status.IsReady, "a standby with synced caches is ready");
        Assert.DoesNotContain(log.All, p => p.Instance == standby.Status.Identity);

        await leader.StopAsync();
        await WidgetApi.EventuallyAsync(() => standby.Status.IsLeader, "the standby takes over");
        await WidgetApi.EventuallyAsync(() => log.All.Count(p => p.Instance == standby.Status.Identity) >= 8, "the new leader reconciles");

        var passes = log.All;
        var first = passes.Where(p => p.Instance == leader.Status.Identity).ToList();
        var second = passes.Where(p => p.Instance == standby.Status.Identity).ToList();
        Assert.True(first.Max(p => p.Ended) <= second.Min(p => p.Started), "the new leader started only after the old one had stopped");
        foreach (var x in first)
        {
            Assert.DoesNotContain(second, y => y.Started < x.Ended && x.Started < y.Ended);
        }

        Assert.True((await sandbox.Client.CoordinationV1.ReadNamespacedLeaseAsync(lease, ns)).Spec.HolderIdentity == standby.Status.Identity);
    }
}
