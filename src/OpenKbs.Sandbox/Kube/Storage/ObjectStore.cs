using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>
/// The objects of one group/resource, held as UTF-8 JSON in a persistent sorted set (key order = etcd order).
/// Writes are serialized by one lock per store; reads take the current set without locking. A bounded history of
/// committed events (each with the item set after it) serves watch resumption and consistent paginated lists at an
/// older resourceVersion; anything older than the retained window answers 410.
/// </summary>
internal sealed class ObjectStore
{
    private readonly object _gate = new();
    private readonly ResourceVersionClock _clock;
    private readonly int _historyCapacity;
    private readonly List<WatchEvent> _history = [];
    private readonly List<Watcher> _watchers = [];
    private ImmutableSortedSet<StoredObject> _items = ImmutableSortedSet.Create<StoredObject>(StoredObjectKeyComparer.Instance);
    private ImmutableSortedSet<StoredObject> _baseItems;
    private long _windowStart;

    public ObjectStore(string group, string resource, ResourceVersionClock clock, int historyCapacity, Func<JsonObject, long, StoredObject> materialize)
    {
        Group = group;
        Resource = resource;
        _clock = clock;
        _historyCapacity = Math.Max(1, historyCapacity);
        _baseItems = _items;
        Materialize = materialize;
    }

    public string Group { get; }

    public string Resource { get; }

    /// <summary>Builds the stored form of an object (labels, selectable fields) in the storage version.</summary>
    public Func<JsonObject, long, StoredObject> Materialize { get; set; }

    /// <summary>Raised under the store lock after every commit (keep handlers cheap and non-blocking).</summary>
    public event Action<ObjectStore, WatchEvent>? Committed;

    public int Count => Volatile.Read(ref _items).Count;

    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public static StoredObject Probe(string key) => new()
    {
        Key = key,
        Namespace = string.Empty,
        Name = string.Empty,
        Uid = string.Empty,
        ResourceVersion = 0,
        Json = [],
        Labels = StoredObject.NoPairs,
        Fields = StoredObject.NoPairs,
        OwnerUids = [],
        HasFinalizers = false,
        Deleting = false,
    };

    public StoredObject? Get(string key)
    {
        var items = Volatile.Read(ref _items);
        return items.TryGetValue(Probe(key), out var actual) ? actual : null;
    }

    public ImmutableSortedSet<StoredObject> Items => Volatile.Read(ref _items);

    /// <summary>The current items and the resourceVersion they are consistent with.</summary>
    public (ImmutableSortedSet<StoredObject> Items, long ResourceVersion) Current()
    {
        lock (_gate)
        {
            return (_items, _clock.Current);
        }
    }

    /// <summary>The items as they were at <paramref name="resourceVersion"/>, or null when that is older than the retained window.</summary>
    public ImmutableSortedSet<StoredObject>? At(long resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion < _windowStart)
            {
                return null;
            }

            var index = LastEventAtOrBefore(resourceVersion);
            return index < 0 ? _baseItems : _history[index].ItemsAfter;
        }
    }

    /// <summary>Runs a read-modify-write under the store lock. <paramref name="decide"/> sees the current object and may throw an ApiException.</summary>
    public CommitResult Commit(string key, Func<StoredObject?, Mutation> decide)
    {
        lock (_gate)
        {
            var current = _items.TryGetValue(Probe(key), out var found) ? found : null;
            var mutation = decide(current);
            switch (mutation.Kind)
            {
                case MutationKind.None:
                    return new CommitResult(MutationKind.None, current);
                case MutationKind.Put:
                {
                    var obj = mutation.Object ?? throw new InvalidOperationException("put without object");
                    var rv = _clock.Next();
                    KubeJson.Metadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
                    var stored = Materialize(obj, rv);
                    if (stored.Key != key)
                    {
                        throw new InvalidOperationException($"key mismatch {stored.Key} != {key}");
                    }

                    var items = current is null ? _items.Add(stored) : _items.Remove(current).Add(stored);
                    Publish(new WatchEvent(current is null ? WatchEventType.Added : WatchEventType.Modified, stored, current, rv, items));
                    return new CommitResult(MutationKind.Put, stored);
                }

                case MutationKind.Delete:
                {
                    if (current is null)
                    {
                        return new CommitResult(MutationKind.None, null);
                    }

                    var rv = _clock.Next();
                    var finalState = mutation.Object ?? KubeJson.ParseObject(current.Json);
                    KubeJson.Metadata(finalState)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
                    var stored = Materialize(finalState, rv);
                    var items = _items.Remove(current);
                    Publish(new WatchEvent(WatchEventType.Deleted, stored, current, rv, items));
                    return new CommitResult(MutationKind.Delete, stored);
                }

                default:
                    throw new InvalidOperationException("unknown mutation");
            }
        }
    }

    /// <summary>Registers a watcher; returns what it must replay first. Throws 410 Expired when <paramref name="fromResourceVersion"/> is too old.</summary>
    public WatchStart Watch(Watcher watcher, long? fromResourceVersion)
    {
        lock (_gate)
        {
            WatchStart start;
            if (fromResourceVersion is null)
            {
                start = new WatchStart(_items, [], _clock.Current);
            }
            else
            {
                var from = fromResourceVersion.Value;
                if (from < _windowStart)
                {
                    throw ApiException.Expired($"too old resource version: {from} ({_windowStart})");
                }

                var index = LastEventAtOrBefore(from) + 1;
                var backlog = index >= _history.Count ? (IReadOnlyList<WatchEvent>)[] : _history.GetRange(index, _history.Count - index);
                start = new WatchStart(null, backlog, Math.Max(from, _clock.Current));
            }

            _watchers.Add(watcher);
            return start;
        }
    }

    public void Unwatch(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion for every watcher that asked for bookmarks.</summary>
    public void EmitBookmarks()
    {
        lock (_gate)
        {
            var rv = _clock.Current;
            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                var w = _watchers[i];
                if (w.Bookmarks && !w.Offer(new WatchFrame(WatchEventType.Bookmark, null, rv)))
                {
                    _watchers.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Ends every open watch (abruptly: the connections are aborted).</summary>
    public void DropWatches(bool abort)
    {
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Terminate(abort);
            }

            _watchers.Clear();
        }
    }

    /// <summary>Forgets the event history: any older resourceVersion now answers 410 (watch) or 410 Expired (list/continue).</summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _baseItems = _items;
            _windowStart = _clock.Current;
        }
    }

    private int LastEventAtOrBefore(long resourceVersion)
    {
        int lo = 0, hi = _history.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_history[mid].ResourceVersion <= resourceVersion)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private void Publish(WatchEvent ev)
    {
        Volatile.Write(ref _items, ev.ItemsAfter);
        _history.Add(ev);
        var chunk = Math.Max(1, _historyCapacity / 10);
        if (_history.Count > _historyCapacity + chunk)
        {
            var drop = _history.Count - _historyCapacity;
            var last = _history[drop - 1];
            _baseItems = last.ItemsAfter;
            _windowStart = last.ResourceVersion;
            _history.RemoveRange(0, drop);
        }

        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (!_watchers[i].Deliver(ev))
            {
                _watchers.RemoveAt(i);
            }
        }

        Committed?.Invoke(this, ev);
    }
}
