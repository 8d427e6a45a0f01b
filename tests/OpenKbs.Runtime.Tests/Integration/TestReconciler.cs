using System.Diagnostics;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>
/// Reconciles Widgets as spec.mode says: "" (ready), "terminal", "finalizer", "slow", "blocked" (waits at the
/// <see cref="WidgetGate"/>), "count" (looks again after 50 ms until its status counts five passes).
/// </summary>
public sealed class TestReconciler(ReconcileLog log, IRuntimeStatus runtime, WidgetGate gate) : IReconciler<Widget>
{
    public const string Finalizer = "test.openkbs.com/cleanup";

    public async Task<ReconcileResult> ReconcileAsync(Widget resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var managers = resource.Metadata.ManagedFields is { } managed ? string.Join(",", managed.Select(m => $"{m.Manager}/{m.Operation}")) : null;
        ReconcileResult? result = null;
        try
        {
            result = await BehaveAsync(resource, context, gate, cancellationToken);
            return result;
        }
        finally
        {
            log.Add(new ReconcileLog.Pass(runtime.Identity, context.Key, context.Trigger, started, Stopwatch.GetTimestamp(), result?.Outcome, managers));
        }
    }

    private static async Task<ReconcileResult> BehaveAsync(Widget widget, ReconcileContext context, WidgetGate gate, CancellationToken ct)
    {
        var status = widget.Status ??= new WidgetStatus();
        status.Conditions ??= [];
        status.Passes++;
        switch (widget.Spec.Mode)
        {
            case "terminal":
                context.SetCondition(status.Conditions, "Ready", ConditionStatus.False, "TerminalBadColor", $"color {widget.Spec.Color} is not allowed");
                return ReconcileResult.Terminal("TerminalBadColor", $"color {widget.Spec.Color} is not allowed");
            case "finalizer":
                if (context.IsDeleting)
                {
                    await context.RemoveFinalizerAsync(Finalizer, ct);
                    return ReconcileResult.Done();
                }

                await context.AddFinalizerAsync(Finalizer, ct);
                break;
            case "slow":
                await Task.Delay(TimeSpan.FromMilliseconds(150), ct);
                break;
            case "blocked":
                await gate.WaitAsync(ct);
                break;
            case "count" when status.Passes < 5:
                return ReconcileResult.RequeueAfter(TimeSpan.FromMilliseconds(50), "Counting");
        }

        status.SeenColor = widget.Spec.Color;
        context.SetCondition(status.Conditions, "Ready", ConditionStatus.True, "Available", "the widget is ready");
        return ReconcileResult.Done();
    }
}
