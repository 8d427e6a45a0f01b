using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Cache;

namespace OpenKbs.Runtime.Controllers;

/// <summary>Turns changes of another kind into keys of the controller's kind.</summary>
internal sealed partial class RelatedHandler(RelatedWatch watch, IServiceProvider services, Action<ObjectKey> enqueue, ILogger logger)
    : IResourceEventHandler
{
    public void OnAdd(CacheEntry entry) => Map(entry);

    public void OnUpdate(CacheEntry previous, CacheEntry current) => Map(current);

    public void OnDelete(CacheEntry entry) => Map(entry);

    private void Map(CacheEntry entry)
    {
        try
        {
            foreach (var key in watch.Map(services, entry))
            {
                enqueue(key);
            }
        }
        catch (Exception ex)
        {
            LogMapFailed(logger, watch.OtherType.Name, entry.Key.ToString(), ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Mapping a change of {Kind} {Key} to related objects failed")]
    private static partial void LogMapFailed(ILogger logger, string kind, string key, Exception exception);
}
