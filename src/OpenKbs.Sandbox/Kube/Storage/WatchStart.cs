using System.Collections.Immutable;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>
/// What a new watch must send before its live events: synthetic ADDED events for <see cref="Initial"/> (when the watch
/// starts from "now" or asks for initial events) or the retained history after the requested resourceVersion.
/// </summary>
internal sealed record WatchStart(ImmutableSortedSet<StoredObject>? Initial, IReadOnlyList<WatchEvent> Backlog, long ResourceVersion);
