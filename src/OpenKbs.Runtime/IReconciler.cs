using k8s;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// Reconciles one kind. Called with a private copy of the cached object: mutate <c>resource.Status</c> freely, the
/// runtime writes status once after the call if it changed. Never write the spec. Return an outcome value; exceptions
/// are treated as transient. The runtime never calls this concurrently for the same object.
/// </summary>
public interface IReconciler<in TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(TResource resource, ReconcileContext context, CancellationToken cancellationToken);
}
