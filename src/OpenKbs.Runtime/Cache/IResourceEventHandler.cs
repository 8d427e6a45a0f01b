namespace OpenKbs.Runtime.Cache;

/// <summary>Receives the changes an informer applies to its store. Must be fast and thread-safe (it only enqueues keys).</summary>
internal interface IResourceEventHandler
{
    void OnAdd(CacheEntry entry);

    void OnUpdate(CacheEntry previous, CacheEntry current);

    void OnDelete(CacheEntry entry);
}
