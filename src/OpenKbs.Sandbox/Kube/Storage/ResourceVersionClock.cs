namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>The server-wide, monotonically increasing resourceVersion (etcd's revision).</summary>
internal sealed class ResourceVersionClock
{
    private long _current = 1;

    public long Current => Volatile.Read(ref _current);

    public long Next() => Interlocked.Increment(ref _current);
}
