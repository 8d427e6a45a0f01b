namespace OpenKbs.Runtime.Queue;

/// <summary>What a work queue reports (client-go's workqueue metrics provider).</summary>
internal interface IWorkQueueMetrics
{
    void Added();

    void Depth(int depth);

    void QueueLatency(TimeSpan waited);

    void WorkDuration(TimeSpan worked);

    void Retried();
}
