using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

[Collection(RuntimeSandboxCollection.Name)]
public sealed class WatchRecoveryTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task A_new_object_is_reconciled_and_its_status_written()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);

        await sandbox.Client.CreateAsync(Widget.Create(ns, "w1", "green"));

        var widget = await sandbox.Client.WaitForWidgetAsync(ns, "w1", w => w.Status?.SeenColor == "green", "reconciled");
        Assert.Equal(1, widget.Status!.ObservedGeneration);
        Assert.True(Conditions.IsTrue(widget.Status.Conditions, "Ready"));
    }

    [Fact]
    public async Task A_watch_dropped_mid_stream_resumes_and_loses_no_event()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        await sandbox.Client.CreateAsync(Widget.Create(ns, "before"));
        await sandbox.Client.WaitForWidgetAsync(ns, "before", w => w.Status?.SeenColor == "blue", "reconciled");

        sandbox.Server.DropAllWatches();
        // Changes made while the operator has no watch open must all arrive once it resumes from its last resourceVersion.
        await sandbox.Client.PatchWidgetAsync(ns, "before", """{"spec":{"color":"orange"}}""");
        for (var i = 0; i < 5; i++)
        {
            await sandbox.Client.CreateAsync(Widget.Create(ns, $"during-{i}", "purple"));
        }

        await sandbox.Client.WaitForWidgetAsync(ns, "before", w => w.Status?.SeenColor == "orange", "updated after the drop");
        for (var i = 0; i < 5; i++)
        {
            await sandbox.Client.WaitForWidgetAsync(ns, $"during-{i}", w => w.Status?.SeenColor == "purple", "reconciled after the drop");
        }

        Assert.True(op.Status.CheckHealth().Healthy, op.Status.CheckHealth().Detail);
    }

    [Fact]
    public async Task A_watch_that_answers_410_gone_relists_and_catches_up()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        await sandbox.Client.CreateAsync(Widget.Create(ns, "keep"));
        await sandbox.Client.CreateAsync(Widget.Create(ns, "gone"));
        await sandbox.Client.WaitForWidgetAsync(ns, "gone", w => w.Status?.SeenColor == "blue", "reconciled");
        var metricsBefore = await MetricsText.ReadAsync(op);

        // Keep the operator from re-watching for a few seconds, change things, then forget the history it would resume from.
        sandbox.Server.Faults.FailNext("GET", $"/namespaces/{ns}/widgets.*watch=true", 503, times: 3);
        sandbox.Server.DropAllWatches();
        await sandbox.Client.PatchWidgetAsync(ns, "keep", """{"spec":{"color":"teal"}}""");
        await sandbox.Client.CreateAsync(Widget.Create(ns, "new", "teal"));
        await sandbox.Client.DeleteWidgetAsync(ns, "gone");
        sandbox.Server.ExpireWatchHistory();

        await sandbox.Client.WaitForWidgetAsync(ns, "keep", w => w.Status?.SeenColor == "teal", "updated after the relist");
        await sandbox.Client.WaitForWidgetAsync(ns, "new", w => w.Status?.SeenColor == "teal", "reconciled after the relist");
        await WidgetApi.EventuallyAsync(
            () => op.Services.GetRequiredService<IResourceCache<Widget>>().Get(ns, "gone") is null, "the deleted widget left the cache");
        var metricsAfter = await MetricsText.ReadAsync(op);
        Assert.True(
            MetricsText.Value(metricsAfter, "openkbs_informer_lists_total", "resource=\"widgets\"") > MetricsText.Value(metricsBefore, "openkbs_informer_lists_total", "resource=\"widgets\""),
            "the informer relisted");
    }
}
