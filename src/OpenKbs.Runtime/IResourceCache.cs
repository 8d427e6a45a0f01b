using k8s;
using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// Read access to the informer cache of one kind (a lister). Every call returns fresh copies, safe to mutate.
/// Resolve it from DI as <c>IResourceCache&lt;T&gt;</c> for any kind registered with <c>AddController</c> or <c>AddResourceCache</c>.
/// </summary>
public interface IResourceCache<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the first list of every watched namespace has completed.</summary>
    bool HasSynced { get; }

    int Count { get; }

    TResource? Get(ObjectKey key);

    TResource? Get(string @namespace, string name);

    /// <summary>Objects in <paramref name="namespace"/>, or in all namespaces when null.</summary>
    IReadOnlyList<TResource> List(string? @namespace = null);

    /// <summary>Keys in <paramref name="namespace"/>, or in all namespaces when null (no deserialization).</summary>
    IReadOnlyList<ObjectKey> Keys(string? @namespace = null);
}
