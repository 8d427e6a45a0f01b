using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Hosting;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Metrics;

namespace OpenKbs.Runtime.Events;

/// <summary>
/// Queues Events and writes them in the background as core/v1 Events. An event identical to one written within the
/// aggregation window (same object, type, reason, message) increments that Event's count and lastTimestamp instead of
/// creating a new one (client-go's correlator, simplified).
/// </summary>
internal sealed partial class EventRecorder : BackgroundService, IEventRecorder
{
    private const int MaxMessageLength = 1024;
    private const int MaxRemembered = 4096;
    private readonly Channel<PendingEvent> _channel = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(1000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Dictionary<(string Object, string Type, string Reason, string Message), Written> _written = [];
    private readonly KubeApiClient _api;
    private readonly RuntimeOptions _options;
    private readonly RuntimeIdentity _identity;
    private readonly RuntimeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger<EventRecorder> _logger;
    private int _pending;

    public EventRecorder(KubeApiClient api, RuntimeOptions options, RuntimeIdentity identity, RuntimeMetrics metrics, TimeProvider time, Random random, ILogger<EventRecorder> logger)
    {
        _api = api;
        _options = options;
        _identity = identity;
        _metrics = metrics;
        _time = time;
        _random = random;
        _logger = logger;
    }

    public void Record(IKubernetesObject<V1ObjectMeta> involvedObject, EventType type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(involvedObject);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var metadata = involvedObject.Metadata;
        var reference = new V1ObjectReference
        {
            ApiVersion = involvedObject.ApiVersion,
            Kind = involvedObject.Kind,
            Name = metadata?.Name,
            NamespaceProperty = metadata?.NamespaceProperty,
            Uid = metadata?.Uid,
            ResourceVersion = metadata?.ResourceVersion,
        };
        message ??= string.Empty;
        if (message.Length > MaxMessageLength)
        {
            message = message[..(MaxMessageLength - 3)] + "...";
        }

        var pending = new PendingEvent(reference, type == EventType.Warning ? "Warning" : "Normal", reason, message, _time.GetUtcNow());
        if (_channel.Writer.TryWrite(pending))
        {
            Interlocked.Increment(ref _pending);
        }
        else
        {
            _metrics.Events.WithLabels(pending.Type, "dropped").Inc();
            LogDropped(_logger, reason, reference.Name ?? string.Empty);
        }
    }

    /// <summary>Waits until every queued event has been written (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var flush = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        flush.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await FlushAsync(flush.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Best effort.
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pending in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await WriteAsync(pending, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _metrics.Events.WithLabels(pending.Type, "failed").Inc();
                    LogWriteFailed(_logger, pending.Reason, pending.InvolvedObject.Name ?? string.Empty, ex);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task WriteAsync(PendingEvent pending, CancellationToken cancellationToken)
    {
        var involved = pending.InvolvedObject;
        var eventNamespace = string.IsNullOrEmpty(involved.NamespaceProperty) ? "default" : involved.NamespaceProperty;
        var objectId = involved.Uid ?? $"{involved.Kind}/{involved.NamespaceProperty}/{involved.Name}";
        var key = (objectId, pending.Type, pending.Reason, pending.Message);
        var at = pending.At.UtcDateTime;
        if (_written.TryGetValue(key, out var written) && pending.At - written.LastSeen < _options.EventAggregationWindow)
        {
            var count = written.Count + 1;
            var patch = new JsonObject
            {
                ["count"] = count,
                ["lastTimestamp"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            };
            try
            {
                await _api.MergePatchPathAsync($"/api/v1/namespaces/{eventNamespace}/events/{written.Name}", patch.ToJsonString(), cancellationToken)
                    .ConfigureAwait(false);
                _written[key] = written with { Count = count, LastSeen = pending.At };
                _metrics.Events.WithLabels(pending.Type, "aggregated").Inc();
                return;
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
                // The Event expired (TTL): create a new one.
            }
        }

        var name = $"{involved.Name}.{at.Ticks:x}{_random.Next(0x1000):x3}";
        var kubeEvent = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = eventNamespace },
            InvolvedObject = involved,
            Reason = pending.Reason,
            Message = pending.Message,
            Type = pending.Type,
            Count = 1,
            FirstTimestamp = at,
            LastTimestamp = at,
            Source = new V1EventSource { Component = _options.EventSourceComponent },
            ReportingComponent = _options.EventSourceComponent,
            ReportingInstance = _identity.Identity,
        };
        await _api.PostAsync($"/api/v1/namespaces/{eventNamespace}/events", KubernetesJson.Serialize(kubeEvent), cancellationToken).ConfigureAwait(false);
        _metrics.Events.WithLabels(pending.Type, "created").Inc();
        if (_written.Count >= MaxRemembered)
        {
            foreach (var stale in _written.Where(w => pending.At - w.Value.LastSeen >= _options.EventAggregationWindow).Select(w => w.Key).ToList())
            {
                _written.Remove(stale);
            }

            if (_written.Count >= MaxRemembered)
            {
                _written.Clear();
            }
        }

        _written[key] = new Written(name, 1, pending.At);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event queue full; dropped event {Reason} on {Name}")]
    private static partial void LogDropped(ILogger logger, string reason, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing event {Reason} on {Name} failed")]
    private static partial void LogWriteFailed(ILogger logger, string reason, string name, Exception exception);

    private sealed record PendingEvent(V1ObjectReference InvolvedObject, string Type, string Reason, string Message, DateTimeOffset At);

    private sealed record Written(string Name, int Count, DateTimeOffset LastSeen);
}
