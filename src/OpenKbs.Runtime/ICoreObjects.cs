using k8s;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// Reads and writes core objects a reconciler owns besides its own kind (Secrets, ConfigMaps), straight from the API
/// server (never cached). A write carries the object's resourceVersion as precondition.
/// </summary>
/// <typeparam name="TObject"><see cref="V1Secret"/> or <see cref="V1ConfigMap"/>.</typeparam>
public interface ICoreObjects<TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The object, or null when it does not exist.</summary>
    Task<TObject?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the object when its resourceVersion is empty, else replaces it with that resourceVersion as precondition.</summary>
    /// <exception cref="StatusConflictException">The object changed (409) or is gone (404) since it was read: nothing was written.</exception>
    Task<TObject> WriteAsync(TObject value, CancellationToken cancellationToken);
}
