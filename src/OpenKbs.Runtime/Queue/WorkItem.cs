namespace OpenKbs.Runtime.Queue;

/// <summary>One key handed to a worker, with every trigger that arrived while it waited.</summary>
internal sealed record WorkItem(ObjectKey Key, ReconcileTrigger Trigger);
