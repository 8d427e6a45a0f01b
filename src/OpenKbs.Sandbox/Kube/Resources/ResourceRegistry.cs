using System.Collections.Immutable;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// Every served group/version/resource and the store behind each group/resource. Built-in kinds are registered at
/// start; each CRD adds (and on deletion removes) the resources of its served versions. Reads are lock-free snapshots.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private readonly ResourceVersionClock _clock;
    private readonly int _historyCapacity;
    private readonly ISchemaCompiler _compiler;
    private readonly Dictionary<string, ObjectStore> _stores = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, ResourceType> _types = ImmutableDictionary.Create<string, ResourceType>(StringComparer.Ordinal);
    private ImmutableDictionary<string, ImmutableArray<string>> _crdTypes = ImmutableDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal);

    public ResourceRegistry(ResourceVersionClock clock, int historyCapacity, ISchemaCompiler compiler)
    {
        _clock = clock;
        _historyCapacity = historyCapacity;
        _compiler = compiler;
    }

    /// <summary>Raised after a store is created (e.g. for a new CRD) so the server can observe its commits.</summary>
    public event Action<ObjectStore>? StoreCreated;

    public IReadOnlyCollection<ResourceType> All => Volatile.Read(ref _types).Values.ToList();

    public ResourceType? Find(string group, string version, string plural) =>
        Volatile.Read(ref _types).TryGetValue($"{group}/{version}/{plural}", out var t) ? t : null;

    public ResourceType? FindKind(string group, string version, string kind) =>
        Volatile.Read(ref _types).Values.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);

    /// <summary>The storage-version type of a group/resource (the one without a converter).</summary>
    public ResourceType? StorageType(string group, string plural) =>
        Volatile.Read(ref _types).Values.FirstOrDefault(t => t.Group == group && t.Plural == plural && t.Converter is null);

    public IReadOnlyList<ObjectStore> Stores
    {
        get
        {
            lock (_gate)
            {
                return _stores.Values.ToList();
            }
        }
    }

    /// <summary>Storage-version types of every namespaced resource (what namespace deletion must empty).</summary>
    public IEnumerable<ResourceType> NamespacedStorageTypes() =>
        Volatile.Read(ref _types).Values.Where(t => t.Namespaced && t.Converter is null);

    public ObjectStore Store(string group, string plural, ResourceStrategy strategy, bool namespaced)
    {
        lock (_gate)
        {
            var key = $"{group}/{plural}";
            if (!_stores.TryGetValue(key, out var store))
            {
                store = new ObjectStore(group, plural, _clock, _historyCapacity, Materializer(strategy, namespaced));
                _stores[key] = store;
                StoreCreated?.Invoke(store);
            }
            else
            {
                store.Materialize = Materializer(strategy, namespaced);
            }

            return store;
        }
    }

    public void Add(ResourceType type)
    {
        lock (_gate)
        {
            _types = _types.SetItem($"{type.Group}/{type.Version}/{type.Plural}", type);
        }
    }

    /// <summary>Serves (or re-serves after an update) every served version of a CRD.</summary>
    public void RegisterCrd(JsonObject crd)
    {
        var name = KubeJson.GetString(crd, "metadata", "name") ?? string.Empty;
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var group = KubeJson.GetString(spec, "group") ?? string.Empty;
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var plural = KubeJson.GetString(names, "plural") ?? string.Empty;
        var kind = KubeJson.GetString(names, "kind") ?? string.Empty;
        var namespaced = KubeJson.GetString(spec, "scope") != "Cluster";
        var storageVersion = CrdStrategy.StorageVersion(crd) ?? string.Empty;
        var storageApiVersion = $"{group}/{storageVersion}";
        var versions = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().ToList();

        lock (_gate)
        {
            var types = _types;
            if (_crdTypes.TryGetValue(name, out var previous))
            {
                types = types.RemoveRange(previous);
            }

            var storageSpec = versions.FirstOrDefault(v => KubeJson.GetString(v, "name") == storageVersion);
            var storageStrategy = new CustomResourceStrategy(SelectableFields(storageSpec));
            var store = Store(group, plural, storageStrategy, namespaced);
            var keys = ImmutableArray.CreateBuilder<string>();
            foreach (var v in versions)
            {
                if (v["served"] is JsonValue served && served.TryGetValue<bool>(out var isServed) && !isServed)
                {
                    continue;
                }

                var version = KubeJson.GetString(v, "name") ?? string.Empty;
                var schemaNode = (v["schema"] as JsonObject)?["openAPIV3Schema"];
                ISchemaValidator schema = PassThroughSchema.Instance;
                if (schemaNode is not null)
                {
                    try
                    {
                        schema = _compiler.Compile(crd, version);
                    }
                    catch (SchemaCompileException)
                    {
                        schema = PassThroughSchema.Instance;
                    }
                }

                var columns = (v["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().Select(CustomResourceTable.FromCrd).ToList();
                var selectable = SelectableFields(v);
                var type = new ResourceType
                {
                    Group = group,
                    Version = version,
                    Plural = plural,
                    Singular = KubeJson.GetString(names, "singular") ?? kind.ToLowerInvariant(),
                    Kind = kind,
                    ListKind = KubeJson.GetString(names, "listKind") ?? kind + "List",
                    Namespaced = namespaced,
                    ShortNames = KubeJson.GetStringList(names, "shortNames"),
                    Categories = KubeJson.GetStringList(names, "categories"),
                    HasStatus = (v["subresources"] as JsonObject)?["status"] is not null,
                    Store = store,
                    Strategy = version == storageVersion ? storageStrategy : new CustomResourceStrategy(selectable),
                    Table = new CustomResourceTable(columns),
                    Converter = version == storageVersion ? null : new ApiVersionConverter($"{group}/{version}", storageApiVersion),
                    Schema = schema,
                    OpenApiSchema = schemaNode?.DeepClone(),
                    SelectableFields = selectable,
                    CrdName = name,
                };
                var key = $"{group}/{version}/{plural}";
                types = types.SetItem(key, type);
                keys.Add(key);
            }

            _types = types;
            _crdTypes = _crdTypes.SetItem(name, keys.ToImmutable());
        }
    }

    /// <summary>Stops serving a CRD's resources and drops its (by now empty) store.</summary>
    public void UnregisterCrd(string name, string group, string plural)
    {
        lock (_gate)
        {
            if (_crdTypes.TryGetValue(name, out var keys))
            {
                _types = _types.RemoveRange(keys);
                _crdTypes = _crdTypes.Remove(name);
            }

            if (_stores.Remove($"{group}/{plural}", out var store))
            {
                store.DropWatches(abort: false);
            }
        }
    }

    private static List<(string Label, KubeJsonPath Path)> SelectableFields(JsonObject? version)
    {
        var list = new List<(string, KubeJsonPath)>();
        foreach (var f in (version?["selectableFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var path = KubeJson.GetString(f, "jsonPath");
            if (path is not null && KubeJsonPath.TryParse(path, out var parsed) && parsed is not null)
            {
                list.Add((path.TrimStart('.'), parsed));
            }
        }

        return list;
    }

    public static Func<JsonObject, long, StoredObject> Materializer(ResourceStrategy strategy, bool namespaced) => (obj, rv) =>
    {
        var meta = KubeJson.Metadata(obj);
        var ns = namespaced ? KubeJson.GetString(meta, "namespace") ?? string.Empty : string.Empty;
        var name = KubeJson.GetString(meta, "name") ?? string.Empty;
        var labels = StoredObject.NoPairs;
        if (meta["labels"] is JsonObject l && l.Count > 0)
        {
            labels = l.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty)).ToArray();
        }

        var fields = StoredObject.NoPairs;
        if (strategy.FieldLabels.Count > 0)
        {
            fields = strategy.FieldLabels.Select(f => new KeyValuePair<string, string>(f, strategy.FieldValue(obj, f) ?? string.Empty)).ToArray();
        }

        string[] owners = [];
        if (meta["ownerReferences"] is JsonArray refs && refs.Count > 0)
        {
            owners = refs.OfType<JsonObject>().Select(r => KubeJson.GetString(r, "uid") ?? string.Empty).Where(u => u.Length > 0).ToArray();
        }

        return new StoredObject
        {
            Key = namespaced ? $"{ns}/{name}" : name,
            Namespace = ns,
            Name = name,
            Uid = KubeJson.GetString(meta, "uid") ?? string.Empty,
            ResourceVersion = rv,
            Json = KubeJson.Serialize(obj),
            Labels = labels,
            Fields = fields,
            OwnerUids = owners,
            HasFinalizers = meta["finalizers"] is JsonArray { Count: > 0 },
            Deleting = meta["deletionTimestamp"] is not null,
        };
    };
}
