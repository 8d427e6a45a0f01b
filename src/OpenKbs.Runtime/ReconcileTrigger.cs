namespace OpenKbs.Runtime;

/// <summary>Why an object is being reconciled. Several triggers that arrive while the key waits are merged.</summary>
[Flags]
public enum ReconcileTrigger
{
    None = 0,

    /// <summary>The object appeared (created, or first seen by this process).</summary>
    Added = 1,

    /// <summary>metadata.generation changed (the spec changed).</summary>
    SpecChanged = 2,

    /// <summary>Labels or annotations changed.</summary>
    MetadataChanged = 4,

    /// <summary>The <c>openkbs.com/reconcile-requested-at</c> annotation changed.</summary>
    ReconcileRequested = 8,

    /// <summary>deletionTimestamp was set.</summary>
    Deleting = 16,

    /// <summary>A previous pass asked to look again (Done resync or RequeueAfter).</summary>
    Scheduled = 32,

    /// <summary>Retry after a transient failure (backoff).</summary>
    Retry = 64,

    /// <summary>The slow re-check of an object in a terminal state.</summary>
    TerminalRecheck = 128,

    /// <summary>An object of another kind that this one depends on changed (see <c>ControllerBuilder.Watches</c>).</summary>
    Related = 256,

    /// <summary>This process became the leader (or started without leader election) and looks at every cached object once.</summary>
    Startup = 512,
}
