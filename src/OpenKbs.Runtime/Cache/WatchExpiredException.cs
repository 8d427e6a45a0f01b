namespace OpenKbs.Runtime.Cache;

/// <summary>The watch's resourceVersion is too old (410 Gone / Expired): the informer must relist.</summary>
internal sealed class WatchExpiredException : Exception
{
    public WatchExpiredException()
    {
    }

    public WatchExpiredException(string message)
        : base(message)
    {
    }

    public WatchExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
