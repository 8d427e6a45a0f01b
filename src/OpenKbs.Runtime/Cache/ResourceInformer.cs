using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Kube;

namespace OpenKbs.Runtime.Cache;

/// <summary>
/// The list+watch cache of one kind (client-go's reflector + informer): a paginated list, then a watch from the list's
/// resourceVersion with bookmarks; a dropped watch resumes from the last resourceVersion seen; <c>410 Gone</c> (or an
/// expired continue token) relists; a periodic relist is the safety net. Every watch has a client-side deadline, so a
/// watch can never hang silently; <see cref="Health"/> reports a watch that stays down.
/// </summary>
internal sealed partial class ResourceInformer
{
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);
    private readonly KubeApiClient _api;
    private readonly InformerSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly IInformerMetrics _metrics;
    private readonly Scope[] _scopes;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IResourceEventHandler[] _handlers = [];
    private Task? _running;
    private CancellationToken _runToken;

    public ResourceInformer(
        ResourceDescriptor descriptor, KubeApiClient api, InformerSettings settings, TimeProvider time, Random random, ILogger logger, IInformerMetrics? metrics = null)
    {
        Descriptor = descriptor;
        _api = api;
        _settings = settings;
        _time = time;
        _random = random;
        _logger = logger;
        _metrics = metrics ?? NoInformerMetrics.Instance;
        _scopes = descriptor.Namespaced && settings.Namespaces.Count > 0
            ? settings.Namespaces.Distinct(StringComparer.Ordinal).Select(ns => new Scope(ns, time.GetUtcNow())).ToArray()
            : [new Scope(null, time.GetUtcNow())];
    }

    public ResourceDescriptor Descriptor { get; }

    public ResourceStore Store { get; } = new();

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Completes once every scope has finished its first list.</summary>
    public Task Synced => _synced.Task;

    public void AddHandler(IResourceEventHandler handler)
    {
        lock (_scopes)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        _runToken = cancellationToken;
        _running = Task.WhenAll(_scopes.Select(s => Task.Run(() => RunScopeAsync(s, cancellationToken), CancellationToken.None)));
        return _running;
    }

    public InformerHealth Health()
    {
        var now = _time.GetUtcNow();
        if (_running is null)
        {
            return new InformerHealth(false, false, $"{Descriptor.Plural}: not started");
        }

        if (_running.IsCompleted && !_runToken.IsCancellationRequested)
        {
            return new InformerHealth(false, HasSynced, $"{Descriptor.Plural}: informer stopped unexpectedly");
        }

        foreach (var scope in _scopes)
        {
            if (!scope.Connected && now - scope.DisconnectedSince > _settings.UnhealthyAfter)
            {
                return new InformerHealth(
                    false, HasSynced, $"{Descriptor.Plural}{ScopeName(scope)}: watch down since {scope.DisconnectedSince:O}: {scope.LastError}");
            }
        }

        return new InformerHealth(true, HasSynced, $"{Descriptor.Plural}: {Store.Count} objects, {(HasSynced ? "synced" : "syncing")}");
    }

    private static string ScopeName(Scope scope) => scope.Namespace is null ? string.Empty : $" in {scope.Namespace}";

    private async Task RunScopeAsync(Scope scope, CancellationToken cancellationToken)
    {
        var retryDelay = _settings.MinRetryDelay;
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null || RelistDue(scope))
                {
                    resourceVersion = await ListAndReplaceAsync(scope, cancellationToken).ConfigureAwait(false);
                    retryDelay = _settings.MinRetryDelay;
                }

                var watch = await WatchAsync(scope, resourceVersion, cancellationToken).ConfigureAwait(false);
                resourceVersion = watch.ResourceVersion;
                if (!watch.ReceivedAny && watch.Lasted < ShortWatch)
                {
                    // The server closes watches at once: do not spin.
                    await Task.Delay(retryDelay, _time, cancellationToken).ConfigureAwait(false);
                    retryDelay = Next(retryDelay);
                }
                else
                {
                    retryDelay = _settings.MinRetryDelay;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WatchExpiredException || ex is KubeApiException { IsGone: true })
            {
                LogExpired(_logger, Descriptor.Plural, resourceVersion ?? string.Empty);
                resourceVersion = null;
            }
            catch (Exception ex)
            {
                scope.Disconnect(_time.GetUtcNow(), ex.Message);
                _metrics.WatchConnected(false);
                _metrics.WatchFailed();
                LogWatchError(_logger, Descriptor.Plural, retryDelay, ex);
                try
                {
                    await Task.Delay(retryDelay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retryDelay = Next(retryDelay);
            }
        }
    }

    private TimeSpan Next(TimeSpan delay)
    {
        var doubled = delay * 2;
        return doubled > _settings.MaxRetryDelay ? _settings.MaxRetryDelay : doubled;
    }

    private bool RelistDue(Scope scope)
        => _settings.RelistInterval > TimeSpan.Zero && _time.GetUtcNow() - scope.LastListAt >= _settings.RelistInterval;

    private async Task<string> ListAndReplaceAsync(Scope scope, CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<ObjectKey, CacheEntry>();
        string? continueToken = null;
        string resourceVersion;
        var restarts = 0;
        while (true)
        {
            ListPage page;
            try
            {
                page = await _api.ListAsync(Descriptor, scope.Namespace, _settings.LabelSelector, _settings.PageSize, continueToken, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.IsGone && continueToken is not null && restarts++ < 3)
            {
                // The continue token expired between pages: start the list over.
                fresh.Clear();
                continueToken = null;
                continue;
            }

            foreach (var item in page.Items)
            {
                var entry = CacheEntry.From(item);
                fresh[entry.Key] = entry;
            }

            resourceVersion = page.ResourceVersion;
            continueToken = page.Continue;
            if (continueToken is null)
            {
                break;
            }
        }

        foreach (var entry in fresh.Values)
        {
            Apply(entry);
        }

        foreach (var key in Store.Keys.ToList())
        {
            if ((scope.Namespace is null || string.Equals(key.Namespace, scope.Namespace, StringComparison.Ordinal)) && !fresh.ContainsKey(key)
                && Store.Remove(key) is { } removed)
            {
                Dispatch(h => h.OnDelete(removed));
            }
        }

        var now = _time.GetUtcNow();
        scope.LastListAt = now;
        scope.Connect();
        _metrics.WatchConnected(true);
        _metrics.Listed();
        if (!scope.Synced)
        {
            scope.Synced = true;
            if (_scopes.All(s => s.Synced))
            {
                _synced.TrySetResult();
            }
        }

        LogListed(_logger, Descriptor.Plural, fresh.Count, resourceVersion);
        return resourceVersion;
    }

    private async Task<WatchResult> WatchAsync(Scope scope, string resourceVersion, CancellationToken cancellationToken)
    {
        var serverTimeout = Math.Max(1, (int)(_settings.WatchTimeout.TotalSeconds * (1 + _random.NextDouble())));
        var clientDeadline = TimeSpan.FromSeconds(serverTimeout + 30);
        if (_settings.RelistInterval > TimeSpan.Zero)
        {
            var untilRelist = scope.LastListAt + _settings.RelistInterval - _time.GetUtcNow();
            clientDeadline = TimeSpan.FromTicks(Math.Clamp(untilRelist.Ticks, TimeSpan.TicksPerSecond, clientDeadline.Ticks));
        }

        using var deadline = new CancellationTokenSource(clientDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = _time.GetTimestamp();
        var receivedAny = false;
        try
        {
            using var response = await _api.OpenWatchAsync(Descriptor, scope.Namespace, _settings.LabelSelector, resourceVersion, serverTimeout, linked.Token)
                .ConfigureAwait(false);
            scope.Connect();
            _metrics.WatchConnected(true);
            _metrics.WatchStarted();
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(linked.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                receivedAny = true;
                resourceVersion = HandleWatchLine(line) ?? resourceVersion;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            // Client-side deadline: resume from the last resourceVersion.
        }
        catch (IOException) when (receivedAny && !cancellationToken.IsCancellationRequested)
        {
            // The stream broke mid-way (a dropped connection): resume from the last resourceVersion.
        }

        return new WatchResult(resourceVersion, receivedAny, _time.GetElapsedTime(started));
    }

    private string? HandleWatchLine(string line)
    {
        var watchEvent = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("watch event is not an object");
        var type = watchEvent["type"]?.GetValue<string>() ?? string.Empty;
        var obj = watchEvent["object"] as JsonObject;
        _metrics.Event(type);
        switch (type)
        {
            case "BOOKMARK":
                return obj?["metadata"]?["resourceVersion"]?.GetValue<string>();
            case "ERROR":
                var code = obj?["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 500;
                var reason = obj?["reason"]?.GetValue<string>();
                var message = obj?["message"]?.GetValue<string>() ?? "watch error";
                if (code == (int)HttpStatusCode.Gone || reason is "Expired" or "Gone")
                {
                    throw new WatchExpiredException(message);
                }

                throw new KubeApiException((HttpStatusCode)code, reason, message);
            case "ADDED":
            case "MODIFIED":
            {
                var entry = CacheEntry.From(obj ?? throw new JsonException("watch event without object"));
                Apply(entry);
                return entry.Summary.ResourceVersion;
            }

            case "DELETED":
            {
                var entry = CacheEntry.From(obj ?? throw new JsonException("watch event without object"));
                var removed = Store.Remove(entry.Key) ?? entry;
                Dispatch(h => h.OnDelete(removed));
                return entry.Summary.ResourceVersion;
            }

            default:
                return null;
        }
    }

    private void Apply(CacheEntry entry)
    {
        var previous = Store.Upsert(entry);
        if (previous is null)
        {
            Dispatch(h => h.OnAdd(entry));
        }
        else if (!string.Equals(previous.Summary.ResourceVersion, entry.Summary.ResourceVersion, StringComparison.Ordinal))
        {
            Dispatch(h => h.OnUpdate(previous, entry));
        }
    }

    private void Dispatch(Action<IResourceEventHandler> action)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                action(handler);
            }
            catch (Exception ex)
            {
                LogHandlerError(_logger, Descriptor.Plural, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string resource, int count, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone); relisting")]
    private static partial void LogExpired(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List/watch of {Resource} failed; retrying in {Delay}")]
    private static partial void LogWatchError(ILogger logger, string resource, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "An event handler of {Resource} failed")]
    private static partial void LogHandlerError(ILogger logger, string resource, Exception exception);

    private readonly record struct WatchResult(string ResourceVersion, bool ReceivedAny, TimeSpan Lasted);

    private sealed class Scope(string? @namespace, DateTimeOffset createdAt)
    {
        public string? Namespace { get; } = @namespace;

        public bool Synced { get; set; }

        public DateTimeOffset LastListAt { get; set; } = DateTimeOffset.MinValue;

        public bool Connected { get; private set; }

        public DateTimeOffset DisconnectedSince { get; private set; } = createdAt;

        public string? LastError { get; private set; }

        public void Connect()
        {
            Connected = true;
            LastError = null;
        }

        public void Disconnect(DateTimeOffset now, string error)
        {
            if (Connected)
            {
                DisconnectedSince = now;
            }

            Connected = false;
            LastError = error;
        }
    }
}
