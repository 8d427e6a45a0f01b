using k8s;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// Creates objects of a kind a reconciler makes for another (a Project's AuditRuns), straight on the API server. Create only:
/// an object that exists is never replaced or patched, so a controller never writes a spec it did not create.
/// </summary>
/// <typeparam name="TResource">The kind.</typeparam>
public interface IResourceCreator<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// Creates <paramref name="resource"/> (its status is not sent). True when this call created it; false when an object of
    /// that name exists already (409 AlreadyExists), whatever its spec: the caller reads it from the cache.
    /// </summary>
    Task<bool> CreateIfAbsentAsync(TResource resource, CancellationToken cancellationToken);
}
