using k8s;
using k8s.Models;

namespace OpenKbs.Runtime.Cache;

/// <summary>The typed lister over a kind's informer store.</summary>
internal sealed class ResourceCache<TResource>(InformerRegistry registry) : IResourceCache<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceInformer _informer = registry.Get(typeof(TResource));

    public bool HasSynced => _informer.HasSynced;

    public int Count => _informer.Store.Count;

    public TResource? Get(ObjectKey key) => _informer.Store.Get(key)?.Deserialize<TResource>();

    public TResource? Get(string @namespace, string name) => Get(new ObjectKey(@namespace ?? string.Empty, name));

    public IReadOnlyList<TResource> List(string? @namespace = null)
        => Entries(@namespace).Select(e => e.Deserialize<TResource>()).ToList();

    public IReadOnlyList<ObjectKey> Keys(string? @namespace = null) => Entries(@namespace).Select(e => e.Key).ToList();

    private IEnumerable<CacheEntry> Entries(string? @namespace)
        => @namespace is null
            ? _informer.Store.Values.OrderBy(e => e.Key)
            : _informer.Store.Values.Where(e => string.Equals(e.Key.Namespace, @namespace, StringComparison.Ordinal)).OrderBy(e => e.Key);
}
