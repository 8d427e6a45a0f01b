namespace OpenKbs.Runtime.Cache;

/// <summary>The metadata the runtime decides on without deserializing an object (predicates, pause, terminal memo).</summary>
internal sealed record ObjectSummary
{
    public required ObjectKey Key { get; init; }

    public required string Uid { get; init; }

    public required string ResourceVersion { get; init; }

    public long Generation { get; init; }

    public bool IsDeleting { get; init; }

    /// <summary><c>openkbs.com/paused: "true"</c>.</summary>
    public bool Paused { get; init; }

    /// <summary>Value of <c>openkbs.com/reconcile-requested-at</c>, if any.</summary>
    public string? ReconcileRequestedAt { get; init; }

    /// <summary>Hash of the labels (order-independent); only compared within this process.</summary>
    public int LabelsHash { get; init; }

    /// <summary>Hash of the annotations (order-independent); only compared within this process.</summary>
    public int AnnotationsHash { get; init; }
}
