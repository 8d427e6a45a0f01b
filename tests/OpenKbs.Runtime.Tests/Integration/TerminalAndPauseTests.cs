using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

[Collection(RuntimeSandboxCollection.Name)]
public sealed class TerminalAndPauseTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task A_terminal_object_is_rechecked_on_the_slow_timer_but_not_on_other_changes()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log, o => o with { TerminalRecheckInterval = TimeSpan.FromSeconds(3) });
        var bad = Widget.Create(ns, "bad", "black");
        bad.Spec.Mode = "terminal";
        await sandbox.Client.CreateAsync(bad);
        await WidgetApi.EventuallyAsync(() => log.For("bad").Count == 1, "reconciled once");

        // A label edit is not a spec change: the terminal object is left alone until the slow re-check.
        await sandbox.Client.PatchWidgetAsync(ns, "bad", """{"metadata":{"labels":{"team":"blue"}}}""");
        await WidgetApi.EventuallyAsync(() => log.For("bad").Count >= 2, "re-checked");

        var passes = log.For("bad");
        Assert.Equal(ReconcileOutcome.Terminal, passes[0].Outcome);
        Assert.True(passes[1].Trigger.HasFlag(ReconcileTrigger.TerminalRecheck), $"second pass was triggered by {passes[1].Trigger}");
        Assert.DoesNotContain(passes, p => p.Trigger == ReconcileTrigger.MetadataChanged);
        var widget = await sandbox.Client.WaitForWidgetAsync(ns, "bad", w => w.Status?.Passes >= 2, "status of the re-check written");
        Assert.Equal("TerminalBadColor", Conditions.Find(widget.Status!.Conditions, "Ready")!.Reason);
    }

    [Fact]
    public async Task A_terminal_object_is_retried_at_once_when_its_spec_changes_or_a_reconcile_is_requested()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log); // default 30 min re-check: only a change can wake it
        var bad = Widget.Create(ns, "bad", "black");
        bad.Spec.Mode = "terminal";
        await sandbox.Client.CreateAsync(bad);
        await WidgetApi.EventuallyAsync(() => log.For("bad").Count == 1, "reconciled once");

        await sandbox.Client.PatchWidgetAsync(ns, "bad", """{"metadata":{"annotations":{"openkbs.com/reconcile-requested-at":"2026-11-26T10:00:00Z"}}}""");
        var requested = await sandbox.Client.WaitForWidgetAsync(ns, "bad", w => w.Status?.LastHandledReconcileAt == "2026-11-26T10:00:00Z", "request handled");
        Assert.Equal(2, requested.Status!.Passes);
        Assert.True(log.For("bad")[1].Trigger.HasFlag(ReconcileTrigger.ReconcileRequested));

        await sandbox.Client.PatchWidgetAsync(ns, "bad", """{"spec":{"mode":"","color":"white"}}""");
        var fixedWidget = await sandbox.Client.WaitForWidgetAsync(ns, "bad", w => w.Status?.SeenColor == "white", "reconciled after the fix");
        Assert.True(Conditions.IsTrue(fixedWidget.Status!.Conditions, "Ready"));
        Assert.Equal(2, fixedWidget.Status.ObservedGeneration);
        Assert.True(log.For("bad")[2].Trigger.HasFlag(ReconcileTrigger.SpecChanged));
    }

    [Fact]
    public async Task Paused_objects_are_left_alone_until_the_annotation_goes()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        var paused = Widget.Create(ns, "paused", "gold");
        paused.Metadata.Annotations = new Dictionary<string, string> { [RuntimeAnnotations.Paused] = "true" };
        await sandbox.Client.CreateAsync(paused);
        await sandbox.Client.PatchWidgetAsync(ns, "paused", """{"spec":{"color":"silver"}}""");
        // A widget created afterwards is reconciled: by then the paused one's events have been handled too (one queue, FIFO).
        await sandbox.Client.CreateAsync(Widget.Create(ns, "marker"));
        await sandbox.Client.WaitForWidgetAsync(ns, "marker", w => w.Status?.SeenColor == "blue", "reconciled");
        await WidgetApi.EventuallyAsync(async () => MetricsText.Value(await MetricsText.ReadAsync(op), "openkbs_paused_objects", "controller=\"widget\"") == 1, "counted as paused");

        Assert.Empty(log.For("paused"));
        Assert.Null((await sandbox.Client.GetWidgetAsync(ns, "paused"))!.Status);

        await sandbox.Client.PatchWidgetAsync(ns, "paused", """{"metadata":{"annotations":{"openkbs.com/paused":null}}}""");
        await sandbox.Client.WaitForWidgetAsync(ns, "paused", w => w.Status?.SeenColor == "silver", "reconciled once unpaused");
    }
}
