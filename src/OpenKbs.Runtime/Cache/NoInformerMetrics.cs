namespace OpenKbs.Runtime.Cache;

internal sealed class NoInformerMetrics : IInformerMetrics
{
    public static readonly NoInformerMetrics Instance = new();

    public void WatchConnected(bool connected)
    {
    }

    public void Listed()
    {
    }

    public void WatchStarted()
    {
    }

    public void WatchFailed()
    {
    }

    public void Event(string type)
    {
    }
}
