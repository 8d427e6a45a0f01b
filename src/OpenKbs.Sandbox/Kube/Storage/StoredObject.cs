namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>
/// One stored object: its compact UTF-8 JSON (exactly what GET returns) plus the few values that lists, selectors,
/// watches and the garbage collector need without parsing the JSON again.
/// </summary>
internal sealed class StoredObject
{
    public static readonly KeyValuePair<string, string>[] NoPairs = [];

    /// <summary>"namespace/name" for namespaced objects, "name" for cluster-scoped ones (etcd key order).</summary>
    public required string Key { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required string Uid { get; init; }

    public required long ResourceVersion { get; init; }

    public required byte[] Json { get; init; }

    public required KeyValuePair<string, string>[] Labels { get; init; }

    /// <summary>Values of the kind's selectable fields beyond metadata.name/namespace (e.g. involvedObject.name, type).</summary>
    public required KeyValuePair<string, string>[] Fields { get; init; }

    /// <summary>UIDs of the owners in metadata.ownerReferences.</summary>
    public required string[] OwnerUids { get; init; }

    public required bool HasFinalizers { get; init; }

    public required bool Deleting { get; init; }

    public string? Field(string name)
    {
        switch (name)
        {
            case "metadata.name":
                return Name;
            case "metadata.namespace":
                return Namespace;
        }

        foreach (var kv in Fields)
        {
            if (kv.Key == name)
            {
                return kv.Value;
            }
        }

        return null;
    }
}
