using OpenKbs.Api;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared;

/// <summary><see cref="IFinalizerHandle"/> over the runtime's <see cref="ReconcileContext"/>.</summary>
internal sealed class ContextFinalizer(ReconcileContext context) : IFinalizerHandle
{
    public bool IsDeleting => context.IsDeleting;

    public bool IsPresent => context.HasFinalizer(Finalizers.Default);

    public bool ObjectRemoved => context.ObjectRemoved;

    public Task AddAsync(CancellationToken cancellationToken) => context.AddFinalizerAsync(Finalizers.Default, cancellationToken);

    public Task RemoveAsync(CancellationToken cancellationToken) => context.RemoveFinalizerAsync(Finalizers.Default, cancellationToken);
}
