using k8s;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

[Collection(RuntimeSandboxCollection.Name)]
public sealed class StatusAndFinalizerTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task A_409_on_the_status_update_is_retried_on_the_latest_object_in_the_same_pass()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        sandbox.Server.Faults.FailNext("PUT", $"/namespaces/{ns}/widgets/conflicted/status$", 409, times: 2);

        await sandbox.Client.CreateAsync(Widget.Create(ns, "conflicted", "red"));

        var widget = await sandbox.Client.WaitForWidgetAsync(ns, "conflicted", w => w.Status?.SeenColor == "red", "reconciled");
        Assert.Equal(1, widget.Status!.Passes); // written by the first pass, after two conflicts: not lost, not retried by backoff
        Assert.Single(log.For("conflicted"));
        var metrics = await MetricsText.ReadAsync(op);
        Assert.Equal(0, MetricsText.Value(metrics, "controller_runtime_reconcile_errors_total", "controller=\"widget\""));
    }

    [Fact]
    public async Task Finalizers_are_added_with_conflict_retry_and_removed_on_deletion()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        sandbox.Server.Faults.FailNext("PATCH", $"/namespaces/{ns}/widgets/guarded$", 409, times: 1);
        var guarded = Widget.Create(ns, "guarded");
        guarded.Spec.Mode = "finalizer";

        await sandbox.Client.CreateAsync(guarded);
        var ready = await sandbox.Client.WaitForWidgetAsync(ns, "guarded", w => w.Status?.SeenColor == "blue", "reconciled");
        Assert.Contains(TestReconciler.Finalizer, ready.Metadata.Finalizers ?? []);
        Assert.Equal(1, ready.Status!.Passes); // the pass continued with the updated object and wrote status once

        await sandbox.Client.DeleteWidgetAsync(ns, "guarded");
        await WidgetApi.EventuallyAsync(async () => await sandbox.Client.GetWidgetAsync(ns, "guarded") is null, "deleted after the finalizer was removed");
        // The deleting pass removes the finalizer (so the object can be gone) before it records itself in the log.
        await WidgetApi.EventuallyAsync(() => log.For("guarded").Any(p => p.Trigger.HasFlag(ReconcileTrigger.Deleting)), "the deleting pass is logged");
    }

    [Fact]
    public async Task Terminal_outcomes_become_one_aggregated_warning_event()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log, o => o with { TerminalRecheckInterval = TimeSpan.FromSeconds(1) });
        var bad = Widget.Create(ns, "bad", "black");
        bad.Spec.Mode = "terminal";

        await sandbox.Client.CreateAsync(bad);
        await WidgetApi.EventuallyAsync(() => log.For("bad").Count >= 3, "re-checked twice");

        await WidgetApi.EventuallyAsync(
            async () =>
            {
                var events = await sandbox.Client.CoreV1.ListNamespacedEventAsync(ns);
                var warning = events.Items.Where(e => e.InvolvedObject.Name == "bad" && e.Reason == "TerminalBadColor").ToList();
                return warning.Count == 1 && warning[0].Count >= 2 && warning[0].Type == "Warning" && warning[0].Source.Component == "openkbs-operator";
            },
            "one Warning event with count >= 2");
    }
}
