namespace OpenKbs.Controllers.Shared;

/// <summary>The object's <c>openkbs.com/finalizer</c>, as the recipe needs it (the runtime's ReconcileContext in production).</summary>
internal interface IFinalizerHandle
{
    bool IsDeleting { get; }

    bool IsPresent { get; }

    /// <summary>True once removing the finalizer let the object go.</summary>
    bool ObjectRemoved { get; }

    Task AddAsync(CancellationToken cancellationToken);

    Task RemoveAsync(CancellationToken cancellationToken);
}
