using System.Threading.Channels;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>
/// One open watch: a bounded queue the store fills (under its lock, in resourceVersion order) and the HTTP handler drains.
/// A watcher that falls too far behind is closed, as the real API server closes unresponsive watchers; the client re-watches.
/// </summary>
internal sealed class Watcher
{
    private readonly Channel<WatchFrame> _channel;

    public Watcher(WatchFilter filter, bool bookmarks, int capacity)
    {
        Filter = filter;
        Bookmarks = bookmarks;
        _channel = Channel.CreateBounded<WatchFrame>(new BoundedChannelOptions(Math.Max(16, capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public WatchFilter Filter { get; }

    public bool Bookmarks { get; }

    /// <summary>Set when the server drops the watch abruptly (the handler aborts the connection instead of ending the stream).</summary>
    public bool Aborted { get; private set; }

    public bool Closed { get; private set; }

    public ChannelReader<WatchFrame> Reader => _channel.Reader;

    /// <summary>Queues the event this watcher should see for a committed change (ADDED/MODIFIED/DELETED after filtering).</summary>
    public bool Deliver(WatchEvent ev)
    {
        var frame = Translate(ev);
        return frame is null || Offer(frame.Value);
    }

    public WatchFrame? Translate(WatchEvent ev)
    {
        switch (ev.Type)
        {
            case WatchEventType.Added:
                return Filter.Matches(ev.Object) ? new WatchFrame(WatchEventType.Added, ev.Object, ev.ResourceVersion) : null;
            case WatchEventType.Deleted:
                return Filter.Matches(ev.Object) ? new WatchFrame(WatchEventType.Deleted, ev.Object, ev.ResourceVersion) : null;
            case WatchEventType.Modified:
                var now = Filter.Matches(ev.Object);
                var before = ev.Previous is not null && Filter.Matches(ev.Previous);
                return (before, now) switch
                {
                    (true, true) => new WatchFrame(WatchEventType.Modified, ev.Object, ev.ResourceVersion),
                    (false, true) => new WatchFrame(WatchEventType.Added, ev.Object, ev.ResourceVersion),
                    (true, false) => new WatchFrame(WatchEventType.Deleted, ev.Object, ev.ResourceVersion),
                    _ => null,
                };
            default:
                return null;
        }
    }

    public bool Offer(WatchFrame frame)
    {
        if (_channel.Writer.TryWrite(frame))
        {
            return true;
        }

        Terminate(abort: false);
        return false;
    }

    public void Terminate(bool abort)
    {
        Aborted |= abort;
        Closed = true;
        _channel.Writer.TryComplete();
    }
}
