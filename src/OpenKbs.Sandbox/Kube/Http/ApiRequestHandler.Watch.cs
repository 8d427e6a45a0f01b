using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OpenKbs.Sandbox.Kube.Engine;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>
/// Watch: a chunked stream of JSON watch events (one per line). Starts with synthetic ADDED events when no (or "0")
/// resourceVersion is given, else replays retained history after it (ERROR event with a 410 Expired Status when too
/// old); BOOKMARK events when asked; Table or PartialObjectMetadata objects when the Accept header asks for them.
/// </summary>
internal sealed partial class ApiRequestHandler
{
    private async Task WatchAsync(HttpContext context, ResourceType type, RequestTarget target)
    {
        var (format, metaVersion) = Negotiation.Negotiate(context.Request.Headers.Accept.ToString(), list: true, watch: true);
        var includeObject = format == ResponseFormat.Table ? TableWriter.IncludeObject(Query(context, "includeObject")) : "Object";
        var filter = Filter(context, type, target);
        var bookmarks = QueryBool(context, "allowWatchBookmarks");
        var sendInitialText = Query(context, "sendInitialEvents");
        var rvText = Query(context, "resourceVersion");
        if (sendInitialText is not null)
        {
            var errors = new List<KubeFieldError>();
            if (Query(context, "resourceVersionMatch") != "NotOlderThan")
            {
                errors.Add(KubeFieldError.Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }

            if (sendInitialText == "true" && !bookmarks)
            {
                errors.Add(KubeFieldError.Forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true"));
            }

            if (errors.Count > 0)
            {
                throw ApiException.Invalid("meta.k8s.io", "ListOptions", string.Empty, errors);
            }
        }

        var sendInitial = sendInitialText == "true";
        long? from = null;
        if (!sendInitial)
        {
            if (rvText is not null && rvText != "0")
            {
                if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
                {
                    throw ApiException.BadRequest($"invalid resource version: \"{rvText}\"");
                }

                from = rv;
            }
            else if (sendInitialText == "false")
            {
                from = engine.Clock.Current;
            }
        }

        var timeoutText = Query(context, "timeoutSeconds");
        var timeout = options.DefaultWatchTimeout;
        if (timeoutText is not null && long.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout = TimeSpan.FromSeconds(seconds);
        }

        var watcher = new Watcher(filter, bookmarks, options.WatchQueueCapacity);
        WatchStart start;
        try
        {
            start = type.Store.Watch(watcher, from);
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            await BeginStreamAsync(context);
            await WriteEventAsync(context, "ERROR", KubeJson.Serialize(ex.ToStatus()));
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeoutCts.CancelAfter(timeout);
        var encoder = new WatchEncoder(type, format, metaVersion, includeObject, engine.Time);
        try
        {
            await BeginStreamAsync(context);
            if (start.Initial is not null)
            {
                foreach (var item in ApiEngine.Select(start.Initial, filter))
                {
                    await WriteEventAsync(context, "ADDED", encoder.Encode(item));
                    if (context.Response.BodyWriter.UnflushedBytes > 256 * 1024)
                    {
                        await context.Response.BodyWriter.FlushAsync(timeoutCts.Token);
                    }
                }

                if (sendInitial)
                {
                    await WriteEventAsync(context, "BOOKMARK", Bookmark(type, start.ResourceVersion, initialEventsEnd: true));
                }
            }

            foreach (var ev in start.Backlog)
            {
                if (watcher.Translate(ev) is { } frame)
                {
                    await WriteFrameAsync(context, type, encoder, frame);
                }
            }

            await context.Response.BodyWriter.FlushAsync(timeoutCts.Token);
            var reader = watcher.Reader;
            while (await reader.WaitToReadAsync(timeoutCts.Token))
            {
                while (reader.TryRead(out var frame))
                {
                    if (frame.Type != WatchEventType.Bookmark && faults.WatchLag(type.Plural) is { Ticks: > 0 } lag)
                    {
                        await Task.Delay(lag, timeoutCts.Token);
                    }

                    await WriteFrameAsync(context, type, encoder, frame);
                }

                await context.Response.BodyWriter.FlushAsync(timeoutCts.Token);
            }

            if (watcher.Aborted)
            {
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested)
        {
            // Timeout or client gone: end the stream.
        }
        finally
        {
            type.Store.Unwatch(watcher);
            watcher.Terminate(abort: false);
        }
    }

    private static async Task BeginStreamAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static Task WriteFrameAsync(HttpContext context, ResourceType type, WatchEncoder encoder, WatchFrame frame) => frame.Type switch
    {
        WatchEventType.Bookmark => WriteEventAsync(context, "BOOKMARK", Bookmark(type, frame.ResourceVersion, initialEventsEnd: false)),
        WatchEventType.Added => WriteEventAsync(context, "ADDED", encoder.Encode(frame.Object!)),
        WatchEventType.Modified => WriteEventAsync(context, "MODIFIED", encoder.Encode(frame.Object!)),
        WatchEventType.Deleted => WriteEventAsync(context, "DELETED", encoder.Encode(frame.Object!)),
        _ => Task.CompletedTask,
    };

    private static byte[] Bookmark(ResourceType type, long rv, bool initialEventsEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (!type.IsCustom)
        {
            meta["creationTimestamp"] = null;
        }

        if (initialEventsEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return KubeJson.Serialize(new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = meta });
    }

    private static async Task WriteEventAsync(HttpContext context, string type, byte[] objectJson)
    {
        var writer = context.Response.BodyWriter;
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var total = prefix.Length + objectJson.Length + 2;
        var span = writer.GetSpan(total);
        prefix.CopyTo(span);
        objectJson.CopyTo(span[prefix.Length..]);
        span[prefix.Length + objectJson.Length] = (byte)'}';
        span[prefix.Length + objectJson.Length + 1] = (byte)'\n';
        writer.Advance(total);
        await Task.CompletedTask;
    }

    /// <summary>Encodes watch event objects for one watch (Table headers only on the first event, like the API server).</summary>
    private sealed class WatchEncoder(ResourceType type, ResponseFormat format, string metaVersion, string includeObject, TimeProvider time)
    {
        private bool _headersSent;

        public byte[] Encode(StoredObject stored)
        {
            switch (format)
            {
                case ResponseFormat.Table:
                    var obj = TableWriter.Served(type, stored);
                    var table = TableWriter.Table(type, [obj], metaVersion, includeObject, !_headersSent, time.GetUtcNow(),
                        new JsonObject { ["resourceVersion"] = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture) });
                    _headersSent = true;
                    return KubeJson.Serialize(table);
                case ResponseFormat.PartialObjectMetadata or ResponseFormat.PartialObjectMetadataList:
                    return KubeJson.Serialize(TableWriter.PartialObjectMetadata(TableWriter.Served(type, stored), metaVersion));
                default:
                    return ApiEngine.ServedBytes(type, stored);
            }
        }
    }
}
