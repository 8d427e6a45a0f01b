using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>
/// What kube-controller-manager and the apiextensions controllers would do, in one loop: empty and finalize
/// terminating namespaces, remove the instances of deleted CRDs and then the CRDs, and garbage-collect dependents
/// (ownerReferences) of deleted owners (Background semantics; Orphan removes the reference instead; Foreground is
/// treated as Background). Also keeps the served resources in step with CRD changes and emits watch bookmarks.
/// </summary>
internal sealed partial class BackgroundControllers : IAsyncDisposable
{
    private readonly ApiEngine _engine;
    private readonly ILogger _logger;
    private readonly TimeSpan _bookmarkInterval;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, (ObjectStore Store, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(ObjectStore Store, string Key), byte>> _dependents = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deletedOwners = new();
    private Task? _loop;
    private Task? _bookmarks;

    public BackgroundControllers(ApiEngine engine, ILogger logger, TimeSpan bookmarkInterval)
    {
        _engine = engine;
        _logger = logger;
        _bookmarkInterval = bookmarkInterval;
        engine.WorkAvailable += () => _signal.Release();
        engine.Registry.StoreCreated += Observe;
        foreach (var store in engine.Registry.Stores)
        {
            Observe(store);
        }
    }

    public void Start()
    {
        _loop = Task.Run(() => RunAsync(_stop.Token));
        _bookmarks = Task.Run(() => BookmarksAsync(_stop.Token));
    }

    private void Observe(ObjectStore store)
    {
        store.Committed += OnCommitted;
    }

    private void OnCommitted(ObjectStore store, WatchEvent ev)
    {
        var obj = ev.Object;
        if (ev.Previous is { } previous)
        {
            foreach (var owner in previous.OwnerUids)
            {
                if (_dependents.TryGetValue(owner, out var set))
                {
                    set.TryRemove((store, previous.Key), out _);
                }
            }
        }

        if (ev.Type == WatchEventType.Deleted)
        {
            _byUid.TryRemove(obj.Uid, out _);
            if (_dependents.ContainsKey(obj.Uid))
            {
                _deletedOwners.Enqueue(obj.Uid);
            }
        }
        else
        {
            _byUid[obj.Uid] = (store, obj.Key);
            foreach (var owner in obj.OwnerUids)
            {
                _dependents.GetOrAdd(owner, _ => new ConcurrentDictionary<(ObjectStore, string), byte>())[(store, obj.Key)] = 0;
            }
        }

        if (store.Group == "apiextensions.k8s.io" && store.Resource == "customresourcedefinitions")
        {
            OnCrdCommitted(ev);
        }

        if (ev.Type == WatchEventType.Deleted || obj.Deleting)
        {
            _signal.Release();
        }
    }

    private void OnCrdCommitted(WatchEvent ev)
    {
        var crd = KubeJson.ParseObject(ev.Object.Json);
        if (ev.Type == WatchEventType.Deleted)
        {
            var spec = crd["spec"] as JsonObject;
            _engine.Registry.UnregisterCrd(ev.Object.Name, KubeJson.GetString(spec, "group") ?? string.Empty, KubeJson.GetString(spec?["names"] as JsonObject, "plural") ?? string.Empty);
        }
        else
        {
            _engine.Registry.RegisterCrd(crd);
        }
    }

    private async Task BookmarksAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_bookmarkInterval, _engine.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var store in _engine.Registry.Stores)
                {
                    store.EmitBookmarks();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(TimeSpan.FromMilliseconds(500), ct);
                while (_signal.CurrentCount > 0)
                {
                    await _signal.WaitAsync(ct);
                }

                CollectGarbage();
                FinalizeNamespaces();
                CleanUpCrds();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopError(_logger, ex);
            }
        }
    }

    private void CollectGarbage()
    {
        while (_deletedOwners.TryDequeue(out var uid))
        {
            if (!_dependents.TryRemove(uid, out var dependents))
            {
                continue;
            }

            bool orphan;
            lock (_engine.OrphanRequests)
            {
                orphan = _engine.OrphanRequests.Remove(uid);
            }

            foreach (var (store, key) in dependents.Keys)
            {
                var current = store.Get(key);
                if (current is null || !current.OwnerUids.Contains(uid))
                {
                    continue;
                }

                var type = _engine.Registry.StorageType(store.Group, store.Resource);
                if (type is null)
                {
                    continue;
                }

                var liveOwners = current.OwnerUids.Where(o => o != uid && _byUid.ContainsKey(o)).ToList();
                if (orphan || liveOwners.Count > 0)
                {
                    RemoveOwnerReference(store, key, uid);
                }
                else if (!current.Deleting)
                {
                    TryDelete(type, current);
                }
            }
        }
    }

    private static void RemoveOwnerReference(ObjectStore store, string key, string uid)
    {
        store.Commit(key, current =>
        {
            if (current is null)
            {
                return Mutation.None;
            }

            var obj = ApiEngine.Parse(current);
            var meta = KubeJson.Metadata(obj);
            if (meta["ownerReferences"] is not JsonArray refs)
            {
                return Mutation.None;
            }

            for (var i = refs.Count - 1; i >= 0; i--)
            {
                if (refs[i] is JsonObject r && KubeJson.GetString(r, "uid") == uid)
                {
                    refs.RemoveAt(i);
                }
            }

            if (refs.Count == 0)
            {
                meta.Remove("ownerReferences");
            }

            return Mutation.Put(obj);
        });
    }

    private void TryDelete(ResourceType type, StoredObject item)
    {
        try
        {
            _engine.Delete(type, item.Namespace.Length == 0 ? null : item.Namespace, item.Name, DeleteOptions.Background);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // Gone or changed meanwhile; a later pass sees the new state.
        }
    }

    private void FinalizeNamespaces()
    {
        var namespaces = _engine.Registry.Find(string.Empty, "v1", "namespaces")!;
        foreach (var ns in namespaces.Store.Items.Where(n => n.Deleting).ToList())
        {
            var remaining = 0;
            var filter = new WatchFilter(ns.Name, Selectors.LabelSelector.Everything, Selectors.FieldSelector.Everything);
            foreach (var type in _engine.Registry.NamespacedStorageTypes())
            {
                foreach (var item in ApiEngine.Select(type.Store.Items, filter).ToList())
                {
                    remaining++;
                    if (!item.Deleting)
                    {
                        TryDelete(type, item);
                    }
                }
            }

            if (remaining > 0)
            {
                continue;
            }

            namespaces.Store.Commit(ns.Key, current =>
            {
                if (current is null)
                {
                    return Mutation.None;
                }

                var obj = ApiEngine.Parse(current);
                var removed = 0;
                if ((obj["spec"] as JsonObject)?["finalizers"] is JsonArray finalizers)
                {
                    for (var i = finalizers.Count - 1; i >= 0; i--)
                    {
                        if (finalizers[i]?.GetValue<string>() == "kubernetes")
                        {
                            finalizers.RemoveAt(i);
                            removed++;
                        }
                    }

                    if (finalizers.Count > 0)
                    {
                        return removed > 0 ? Mutation.Put(obj) : Mutation.None;
                    }
                }

                if (current.HasFinalizers)
                {
                    return removed > 0 ? Mutation.Put(obj) : Mutation.None;
                }

                return Mutation.Delete();
            });
        }
    }

    private void CleanUpCrds()
    {
        var crds = _engine.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        foreach (var crd in crds.Store.Items.Where(c => c.Deleting).ToList())
        {
            var obj = ApiEngine.Parse(crd);
            var spec = obj["spec"] as JsonObject;
            var group = KubeJson.GetString(spec, "group") ?? string.Empty;
            var plural = KubeJson.GetString(spec?["names"] as JsonObject, "plural") ?? string.Empty;
            var type = _engine.Registry.StorageType(group, plural);
            if (type is not null && type.Store.Count > 0)
            {
                foreach (var item in type.Store.Items.Where(i => !i.Deleting).ToList())
                {
                    TryDelete(type, item);
                }

                continue;
            }

            crds.Store.Commit(crd.Key, current =>
            {
                if (current is null)
                {
                    return Mutation.None;
                }

                var o = ApiEngine.Parse(current);
                var meta = KubeJson.Metadata(o);
                if (meta["finalizers"] is JsonArray finalizers)
                {
                    var removed = 0;
                    for (var i = finalizers.Count - 1; i >= 0; i--)
                    {
                        if (finalizers[i]?.GetValue<string>() == CrdStrategy.CleanupFinalizer)
                        {
                            finalizers.RemoveAt(i);
                            removed++;
                        }
                    }

                    if (finalizers.Count > 0)
                    {
                        return removed > 0 ? Mutation.Put(o) : Mutation.None;
                    }
                }

                return Mutation.Delete();
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_bookmarks is not null)
        {
            await _bookmarks;
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sandbox background controller pass failed")]
    private static partial void LogLoopError(ILogger logger, Exception exception);
}
