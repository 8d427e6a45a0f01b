namespace OpenKbs.Runtime.Cache;

/// <summary>What an informer reports about its list and watch.</summary>
internal interface IInformerMetrics
{
    void WatchConnected(bool connected);

    void Listed();

    void WatchStarted();

    void WatchFailed();

    void Event(string type);
}
