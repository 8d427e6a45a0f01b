namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>What a watcher's queue carries: an event for the client (type + object) or a bookmark at a resourceVersion.</summary>
internal readonly record struct WatchFrame(WatchEventType Type, StoredObject? Object, long ResourceVersion);
