using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary><see cref="ControllerOptions.IsUrgent"/> and <see cref="ControllerOptions.UrgentWorkers"/> through a running controller.</summary>
[Collection(RuntimeSandboxCollection.Name)]
public sealed class UrgentLaneTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task An_urgent_object_is_reconciled_by_a_reserved_worker_while_every_normal_worker_is_blocked()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var log = new ReconcileLog();
        await using var op = await TestOperator.StartAsync(
            sandbox,
            ns,
            log,
            controller: new ControllerOptions
            {
                MaxConcurrentReconciles = 1,
                UrgentWorkers = 1,
                IsUrgent = key => key.Name.StartsWith("urgent", StringComparison.Ordinal),
            });
        var gate = op.Services.GetRequiredService<WidgetGate>();
        try
        {
            var blocked = Widget.Create(ns, "blocked");
            blocked.Spec.Mode = "blocked";
            await sandbox.Client.CreateAsync(blocked);
            await WidgetApi.EventuallyAsync(() => gate.Waiting == 1, "the only normal worker blocked");

            await sandbox.Client.CreateAsync(Widget.Create(ns, "normal"));
            await sandbox.Client.CreateAsync(Widget.Create(ns, "urgent-1"));
            await sandbox.Client.CreateAsync(Widget.Create(ns, "urgent-2"));

            await sandbox.Client.WaitForWidgetAsync(ns, "urgent-1", w => w.Status?.Passes >= 1, "reconciled by the reserved worker");
            await sandbox.Client.WaitForWidgetAsync(ns, "urgent-2", w => w.Status?.Passes >= 1, "reconciled by the reserved worker");
            Assert.Empty(log.For("normal"));
            Assert.Empty(log.For("blocked"));
            Assert.Equal(1, gate.Waiting);

            gate.Open();
            await sandbox.Client.WaitForWidgetAsync(ns, "normal", w => w.Status?.Passes >= 1, "reconciled once the normal worker is free");
        }
        finally
        {
            gate.Open();
        }
    }
}
