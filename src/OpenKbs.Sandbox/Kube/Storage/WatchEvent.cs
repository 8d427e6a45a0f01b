using System.Collections.Immutable;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>
/// One committed change of a store: the object after the change (for a deletion: the last state, stamped with the
/// deletion's resourceVersion), the object before it, and the store's item set right after it (a snapshot for
/// consistent paginated lists at this resourceVersion).
/// </summary>
internal sealed record WatchEvent(
    WatchEventType Type,
    StoredObject Object,
    StoredObject? Previous,
    long ResourceVersion,
    ImmutableSortedSet<StoredObject> ItemsAfter);
