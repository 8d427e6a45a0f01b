using OpenKbs.Runtime.Queue;
using Prometheus;

namespace OpenKbs.Runtime.Metrics;

/// <summary>client-go workqueue metrics of one controller's queue (label <c>name</c> = <c>controller</c> = controller name).</summary>
internal sealed class WorkQueueMetrics(RuntimeMetrics metrics, string controller) : IWorkQueueMetrics
{
    private readonly Counter.Child _adds = metrics.QueueAdds.WithLabels(controller, controller);
    private readonly Gauge.Child _depth = metrics.QueueDepth.WithLabels(controller, controller);
    private readonly Histogram.Child _latency = metrics.QueueLatency.WithLabels(controller, controller);
    private readonly Histogram.Child _work = metrics.WorkDuration.WithLabels(controller, controller);
    private readonly Counter.Child _retries = metrics.Retries.WithLabels(controller, controller);

    public void Added() => _adds.Inc();

    public void Depth(int depth) => _depth.Set(depth);

    public void QueueLatency(TimeSpan waited) => _latency.Observe(waited.TotalSeconds);

    public void WorkDuration(TimeSpan worked) => _work.Observe(worked.TotalSeconds);

    public void Retried() => _retries.Inc();
}
