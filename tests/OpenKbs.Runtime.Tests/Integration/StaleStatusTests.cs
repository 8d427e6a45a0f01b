using k8s;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>
/// A pass computed from a view older than the status on the server (the informer had not delivered the previous pass's
/// final write yet) must not overwrite it: the 409 it meets is judged against the status the pass computed from.
/// Found by a Controllers run with 8 test threads: an AccountTransfer's "AWS refused the code" message was overwritten by
/// a pass that had seen only the checkpoint before it.
/// </summary>
[Collection(RuntimeSandboxCollection.Name)]
public sealed class StaleStatusTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task A_status_written_since_the_pass_s_view_is_not_overwritten_and_the_write_is_reported_stale()
    {
        var (publisher, view) = await ViewAsync("stale");
        var basis = publisher.Snapshot(view);
        await WriteStatusAsync(view, new WidgetStatus { SeenColor = "newer", Passes = 2 }); // the write the cache has not delivered

        view.Status = new WidgetStatus { SeenColor = "older", Passes = 1 };
        var write = await publisher.WriteAsync(view, publisher.Snapshot(view), publisher.BasisOf(view, basis), default);

        Assert.True(write.Stale);
        Assert.False(write.Written);
        Assert.Equal(("newer", 2), await StatusAsync(view));
    }

    [Fact]
    public async Task A_spec_change_alone_does_not_make_the_write_stale_it_is_re_applied()
    {
        var (publisher, view) = await ViewAsync("spec-moved");
        var basis = publisher.Snapshot(view);
        await sandbox.Client.PatchWidgetAsync(view.Metadata.NamespaceProperty, "spec-moved", """{"spec":{"color":"green"}}""");

        view.Status = new WidgetStatus { SeenColor = "blue", Passes = 1 };
        var write = await publisher.WriteAsync(view, publisher.Snapshot(view), publisher.BasisOf(view, basis), default);

        Assert.True(write.Written);
        Assert.Equal(1, write.Conflicts);
        Assert.Equal(("blue", 1), await StatusAsync(view));
    }

    [Fact]
    public async Task The_pass_s_own_checkpoint_is_its_basis_so_a_spec_change_after_it_does_not_lose_the_final_write()
    {
        var (publisher, view) = await ViewAsync("checkpointed");
        var basis = publisher.Snapshot(view);
        var checkpoints = new StatusPublisher(new KubeApiClient(sandbox.Client), Widget.Descriptor, StatusShape.For(typeof(Widget)), conflictRetries: 0);
        view.Status = new WidgetStatus { SeenColor = "marker", Passes = 1 };
        var marker = await checkpoints.WriteAsync(view, checkpoints.Snapshot(view), basisJson: null, default);
        view.Metadata.ResourceVersion = marker.ResourceVersion;
        await sandbox.Client.PatchWidgetAsync(view.Metadata.NamespaceProperty, "checkpointed", """{"spec":{"color":"green"}}""");

        view.Status = new WidgetStatus { SeenColor = "final", Passes = 1 };
        var write = await publisher.WriteAsync(view, publisher.Snapshot(view), publisher.BasisOf(view, basis), default);

        Assert.False(write.Stale);
        Assert.True(write.Written);
        Assert.Equal(("final", 1), await StatusAsync(view));
    }

    [Fact]
    public async Task A_pass_never_starts_from_a_cache_older_than_the_status_this_process_wrote()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(sandbox, ns, log);
        sandbox.Server.Faults.DelayWatchEvents("^widgets$", TimeSpan.FromSeconds(1)); // the informer lags 1 s; the passes come every 50 ms
        try
        {
            var counting = Widget.Create(ns, "counting", "red");
            counting.Spec.Mode = "count";
            await sandbox.Client.CreateAsync(counting);

            var done = await sandbox.Client.WaitForWidgetAsync(ns, "counting", w => w.Status?.SeenColor == "red", "counted to five");
            Assert.Equal(5, done.Status!.Passes);
            Assert.Equal(5, log.For("counting").Count); // each pass started from the status the one before wrote: none wasted, none lost
        }
        finally
        {
            sandbox.Server.Faults.Clear();
        }
    }

    private async Task<(StatusPublisher Publisher, Widget View)> ViewAsync(string name)
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        await sandbox.Client.CreateAsync(Widget.Create(ns, name, "red"));
        var view = (await sandbox.Client.GetWidgetAsync(ns, name))!;
        return (new StatusPublisher(new KubeApiClient(sandbox.Client), Widget.Descriptor, StatusShape.For(typeof(Widget)), conflictRetries: 5), view);
    }

    private async Task WriteStatusAsync(Widget view, WidgetStatus status)
    {
        var other = (await sandbox.Client.GetWidgetAsync(view.Metadata.NamespaceProperty, view.Metadata.Name))!;
        other.Status = status;
        await sandbox.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(other, Widget.Group, "v1", other.Metadata.NamespaceProperty, "widgets", other.Metadata.Name);
    }

    private async Task<(string? Color, int Passes)> StatusAsync(Widget view)
    {
        var widget = (await sandbox.Client.GetWidgetAsync(view.Metadata.NamespaceProperty, view.Metadata.Name))!;
        return (widget.Status?.SeenColor, widget.Status?.Passes ?? 0);
    }
}
