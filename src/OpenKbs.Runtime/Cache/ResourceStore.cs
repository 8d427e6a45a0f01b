using System.Collections.Concurrent;

namespace OpenKbs.Runtime.Cache;

/// <summary>The cached objects of one kind, keyed by namespace/name. Written only by the kind's informer.</summary>
internal sealed class ResourceStore
{
    private readonly ConcurrentDictionary<ObjectKey, CacheEntry> _items = new();

    public int Count => _items.Count;

    public CacheEntry? Get(ObjectKey key) => _items.TryGetValue(key, out var entry) ? entry : null;

    public IEnumerable<CacheEntry> Values => _items.Values;

    public IEnumerable<ObjectKey> Keys => _items.Keys;

    /// <summary>Stores the entry and returns the one it replaced, if any.</summary>
    public CacheEntry? Upsert(CacheEntry entry)
    {
        CacheEntry? previous = null;
        _items.AddOrUpdate(entry.Key, entry, (_, old) =>
        {
            previous = old;
            return entry;
        });
        return previous;
    }

    public CacheEntry? Remove(ObjectKey key) => _items.TryRemove(key, out var removed) ? removed : null;
}
