using OpenKbs.Runtime.Cache;
using Prometheus;

namespace OpenKbs.Runtime.Metrics;

/// <summary>List/watch metrics of one resource's informer.</summary>
internal sealed class InformerMetrics(RuntimeMetrics metrics, string resource) : IInformerMetrics
{
    private readonly Gauge.Child _connected = metrics.WatchConnected.WithLabels(resource);
    private readonly Counter.Child _lists = metrics.Lists.WithLabels(resource);
    private readonly Counter.Child _watches = metrics.Watches.WithLabels(resource);
    private readonly Counter.Child _failures = metrics.WatchFailures.WithLabels(resource);

    public void WatchConnected(bool connected) => _connected.Set(connected ? 1 : 0);

    public void Listed() => _lists.Inc();

    public void WatchStarted() => _watches.Inc();

    public void WatchFailed() => _failures.Inc();

    public void Event(string type) => metrics.WatchEvents.WithLabels(resource, type).Inc();
}
