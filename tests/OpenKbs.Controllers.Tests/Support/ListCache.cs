using k8s;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>An informer cache stand-in for step tests: a list of objects, copied on every read like the real one.</summary>
internal sealed class ListCache(params ClientAccount[] items) : IResourceCache<ClientAccount>
{
    private readonly List<ClientAccount> _items = [.. items];

    public bool HasSynced { get; set; } = true;

    public int Count => _items.Count;

    public void Set(ClientAccount item)
    {
        _items.RemoveAll(i => i.Metadata.Uid == item.Metadata.Uid);
        _items.Add(Copy(item));
    }

    public void Remove(ObjectKey key) => _items.RemoveAll(i => ObjectKey.From(i) == key);

    public ClientAccount? Get(ObjectKey key) => _items.Where(i => ObjectKey.From(i) == key).Select(Copy).FirstOrDefault();

    public ClientAccount? Get(string @namespace, string name) => Get(new ObjectKey(@namespace, name));

    public IReadOnlyList<ClientAccount> List(string? @namespace = null) =>
        [.. _items.Where(i => @namespace is null || i.Metadata.NamespaceProperty == @namespace).Select(Copy)];

    public IReadOnlyList<ObjectKey> Keys(string? @namespace = null) => [.. List(@namespace).Select(ObjectKey.From)];

    private static ClientAccount Copy(ClientAccount item) => KubernetesJson.Deserialize<ClientAccount>(KubernetesJson.Serialize(item));
}
