namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>Watch event types as they appear on the wire.</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
