namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>Orders stored objects by key, ordinal (the order etcd returns keys in).</summary>
internal sealed class StoredObjectKeyComparer : IComparer<StoredObject>
{
    public static readonly StoredObjectKeyComparer Instance = new();

    public int Compare(StoredObject? x, StoredObject? y) => string.CompareOrdinal(x?.Key, y?.Key);
}
