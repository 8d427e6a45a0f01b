using k8s;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// Reads the latest copy of an object from the API server and writes its status in the middle of a pass. Use it for
/// checkpoints a crash must not lose (a marker written before a non-idempotent AWS call, the handle AWS returned right
/// after it); the runtime still publishes the final status once at the end of the pass.
/// </summary>
/// <typeparam name="TResource">The kind.</typeparam>
public interface IStatusStore<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The object as the API server has it now (not the cache), or null when it is gone.</summary>
    Task<TResource?> GetAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="resource"/>'s status now, with its resourceVersion as precondition, and updates the
    /// resourceVersion in place so the pass (and the runtime's final write) continue from the new version.
    /// </summary>
    /// <exception cref="StatusConflictException">The object changed since it was read (409) or is gone (404): nothing was written.</exception>
    Task SaveStatusAsync(TResource resource, CancellationToken cancellationToken);
}
