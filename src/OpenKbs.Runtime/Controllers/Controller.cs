using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Metrics;
using OpenKbs.Runtime.Queue;

namespace OpenKbs.Runtime.Controllers;

/// <summary>
/// The reconcile loop of one kind: informer events become keys in a work queue; workers take a key, skip paused and
/// unchanged terminal objects, call the reconciler with a private copy, publish status once (try/finally), and
/// schedule the next pass from the outcome value.
/// </summary>
internal sealed partial class Controller<TResource, TReconciler> : IManagedController, IResourceEventHandler
    where TResource : class, IKubernetesObject<V1ObjectMeta>
    where TReconciler : class, IReconciler<TResource>
{
    private readonly ControllerRegistration _registration;
    private readonly ResourceInformer _informer;
    private readonly IServiceScopeFactory _scopes;
    private readonly IEventRecorder _events;
    private readonly RuntimeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly StatusPublisher _status;
    private readonly FinalizerPatcher _finalizers;
    private readonly SchedulingPolicy _policy;
    private readonly TerminalMemo _terminal = new();
    private readonly int _workers;
    private readonly int _urgentWorkers;
    /// <summary>How soon a pass whose status write was refused as stale looks again (the informer delivers within milliseconds).</summary>
    private static readonly TimeSpan StaleStatusRetry = TimeSpan.FromMilliseconds(250);

    private readonly KubeApiClient _api;
    private readonly TimeSpan _reconcileTimeout;
    private readonly TimeSpan _backoffBase;
    private readonly TimeSpan _backoffCap;
    private readonly Prometheus.Gauge.Child _activeWorkers;
    private readonly Prometheus.Histogram.Child _reconcileTime;
    private readonly Prometheus.Counter.Child _success;
    private readonly Prometheus.Counter.Child _requeueAfter;
    private readonly Prometheus.Counter.Child _error;
    private readonly Prometheus.Counter.Child _errors;
    private WorkQueue? _queue;

    public Controller(
        ControllerRegistration registration,
        InformerRegistry informers,
        KubeApiClient api,
        IServiceProvider services,
        IEventRecorder events,
        RuntimeMetrics metrics,
        RuntimeOptions options,
        TimeProvider time,
        Random random,
        ILoggerFactory loggers)
    {
        _registration = registration;
        _api = api;
        _informer = informers.Get(typeof(TResource));
        _scopes = services.GetRequiredService<IServiceScopeFactory>();
        _events = events;
        _metrics = metrics;
        _time = time;
        _random = random;
        var controllerOptions = registration.Options;
        Name = controllerOptions.Name ?? registration.Descriptor.Kind.ToLowerInvariant();
        _logger = loggers.CreateLogger($"OpenKbs.Runtime.Controller.{registration.Descriptor.Kind}");
        _status = new StatusPublisher(api, registration.Descriptor, StatusShape.For(typeof(TResource)), options.StatusConflictRetries);
        _finalizers = new FinalizerPatcher(api, registration.Descriptor, options.StatusConflictRetries);
        _policy = new SchedulingPolicy
        {
            ResyncInterval = controllerOptions.ResyncInterval ?? options.ResyncInterval,
            TerminalRecheckInterval = controllerOptions.TerminalRecheckInterval ?? options.TerminalRecheckInterval,
        };
        _workers = Math.Max(1, controllerOptions.MaxConcurrentReconciles ?? options.MaxConcurrentReconciles);
        _urgentWorkers = controllerOptions.IsUrgent is null ? 0 : Math.Max(0, controllerOptions.UrgentWorkers);
        _reconcileTimeout = controllerOptions.ReconcileTimeout ?? options.ReconcileTimeout;
        _backoffBase = options.BackoffBase;
        _backoffCap = controllerOptions.BackoffCap ?? options.BackoffCap;

        _informer.AddHandler(this);
        foreach (var related in registration.Related)
        {
            informers.Get(related.OtherType).AddHandler(new RelatedHandler(related, services, key => Enqueue(key, ReconcileTrigger.Related), _logger));
        }

        _activeWorkers = _metrics.ActiveWorkers.WithLabels(Name);
        _reconcileTime = _metrics.ReconcileTime.WithLabels(Name);
        _success = _metrics.ReconcileTotal.WithLabels(Name, "success");
        _requeueAfter = _metrics.ReconcileTotal.WithLabels(Name, "requeue_after");
        _error = _metrics.ReconcileTotal.WithLabels(Name, "error");
        _errors = _metrics.ReconcileErrors.WithLabels(Name);
        _metrics.MaxConcurrentReconciles.WithLabels(Name).Set(_workers + _urgentWorkers);

        // Publish every series at zero from the start, as controller-runtime does, so dashboards and alerts see them.
        _ = _metrics.TerminalErrors.WithLabels(Name);
        _ = _metrics.ReconcilePanics.WithLabels(Name);
        _ = _metrics.Paused.WithLabels(Name);
        _ = _metrics.Terminal.WithLabels(Name);
        _ = new WorkQueueMetrics(_metrics, Name);
        _metrics.Registry.AddBeforeCollectCallback(CollectGauges);
    }

    public string Name { get; }

    public async Task RunAsync(CancellationToken intake, CancellationToken abort)
    {
        using var queue = new WorkQueue(
            _time, new ExponentialBackoff(_backoffBase, _backoffCap), new WorkQueueMetrics(_metrics, Name), _registration.Options.IsUrgent);
        Volatile.Write(ref _queue, queue);
        try
        {
            foreach (var key in _informer.Store.Keys)
            {
                queue.Add(key, ReconcileTrigger.Startup);
            }

            LogStarted(_logger, Name, _workers, _urgentWorkers, queue.Length);
            var workers = Enumerable.Range(0, _workers + _urgentWorkers)
                .Select(i => Task.Run(() => WorkAsync(queue, urgentOnly: i >= _workers, intake, abort), CancellationToken.None))
                .ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _queue, null);
            queue.ShutDown();
            _metrics.ActiveWorkers.WithLabels(Name).Set(0);
            LogStopped(_logger, Name);
        }
    }

    void IResourceEventHandler.OnAdd(CacheEntry entry) => Enqueue(entry.Key, ReconcileTrigger.Added);

    void IResourceEventHandler.OnUpdate(CacheEntry previous, CacheEntry current)
    {
        var trigger = UpdateTrigger(previous.Summary, current.Summary);
        if (trigger != ReconcileTrigger.None)
        {
            Enqueue(current.Key, trigger);
        }
    }

    void IResourceEventHandler.OnDelete(CacheEntry entry)
    {
        _terminal.Clear(entry.Key);
        Volatile.Read(ref _queue)?.Forget(entry.Key);
    }

    /// <summary>
    /// Which update wakes the controller: spec (generation), labels, annotations (pause, reconcile request), deletion or
    /// a re-created object. Status-only updates (our own writes included) do not.
    /// </summary>
    internal static ReconcileTrigger UpdateTrigger(ObjectSummary previous, ObjectSummary current)
    {
        var trigger = ReconcileTrigger.None;
        if (!string.Equals(previous.Uid, current.Uid, StringComparison.Ordinal))
        {
            trigger |= ReconcileTrigger.Added;
        }

        if (previous.Generation != current.Generation)
        {
            trigger |= ReconcileTrigger.SpecChanged;
        }

        if (previous.LabelsHash != current.LabelsHash || previous.AnnotationsHash != current.AnnotationsHash)
        {
            trigger |= ReconcileTrigger.MetadataChanged;
        }

        if (!string.Equals(previous.ReconcileRequestedAt, current.ReconcileRequestedAt, StringComparison.Ordinal))
        {
            trigger |= ReconcileTrigger.ReconcileRequested;
        }

        if (!previous.IsDeleting && current.IsDeleting)
        {
            trigger |= ReconcileTrigger.Deleting;
        }

        return trigger;
    }

    private void Enqueue(ObjectKey key, ReconcileTrigger trigger) => Volatile.Read(ref _queue)?.Add(key, trigger);

    private async Task WorkAsync(WorkQueue queue, bool urgentOnly, CancellationToken intake, CancellationToken abort)
    {
        while (!intake.IsCancellationRequested)
        {
            WorkItem? item;
            try
            {
                item = urgentOnly
                    ? await queue.GetUrgentAsync(intake).ConfigureAwait(false)
                    : await queue.GetAsync(intake).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (item is null)
            {
                return;
            }

            try
            {
                await ProcessAsync(queue, item, abort).ConfigureAwait(false);
            }
            catch (Exception ex) when (!abort.IsCancellationRequested)
            {
                // ProcessAsync handles reconciler failures itself; this is a bug in the runtime. Never drop the key.
                LogUnexpected(_logger, Name, item.Key.ToString(), ex);
                queue.AddRateLimited(item.Key, ReconcileTrigger.Retry);
            }
            catch (OperationCanceledException)
            {
                // Term ended while processing.
            }
            finally
            {
                queue.Done(item.Key);
            }
        }
    }

    private async Task ProcessAsync(WorkQueue queue, WorkItem item, CancellationToken abort)
    {
        var key = item.Key;
        var entry = await CurrentAsync(key, abort).ConfigureAwait(false);
        if (entry is null)
        {
            // Gone from the cache: deletion already ran through the finalizer, nothing to do.
            queue.Forget(key);
            _terminal.Clear(key);
            return;
        }

        if (entry.Summary.Paused)
        {
            LogPaused(_logger, Name, key.ToString());
            queue.Forget(key);
            return;
        }

        if (_terminal.ShouldSkip(key, entry.Summary, item.Trigger))
        {
            LogTerminalSkip(_logger, Name, key.ToString(), item.Trigger);
            return;
        }

        var resource = entry.Deserialize<TResource>();
        var retries = queue.NumRequeues(key);
        var context = new ReconcileContext(resource, _registration.Descriptor, item.Trigger, retries, _logger, _time, _events, _finalizers);
        var before = _status.Snapshot(resource);
        var active = _activeWorkers;
        var started = _time.GetTimestamp();
        ReconcileResult result;
        var aborted = false;
        active.Inc();
        using (_logger.BeginScope(new Dictionary<string, object> { ["controller"] = Name, ["key"] = key.ToString(), ["generation"] = context.Generation }))
        {
            LogReconciling(_logger, key.ToString(), item.Trigger, retries);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
            timeout.CancelAfter(_reconcileTimeout);
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var reconciler = scope.ServiceProvider.GetRequiredService<TReconciler>();
                result = await reconciler.ReconcileAsync(resource, context, timeout.Token).ConfigureAwait(false)
                    ?? ReconcileResult.Transient("NullResult", "the reconciler returned no result");
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                aborted = true;
                result = ReconcileResult.Transient("Cancelled", "the reconcile was cancelled (leadership lost or shutdown)");
            }
            catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
            {
                result = ReconcileResult.Transient("ReconcileTimeout", new TimeoutException($"reconcile exceeded {_reconcileTimeout}", ex));
            }
            catch (Exception ex)
            {
                _metrics.ReconcilePanics.WithLabels(Name).Inc();
                result = ReconcileResult.Transient("ReconcileError", ex);
            }
            finally
            {
                active.Dec();
            }

            // Every exit path publishes status, except when this process may no longer act (leadership lost, shutdown).
            if (!aborted && !context.ObjectRemoved)
            {
                result = await PublishStatusAsync(resource, context, before, result, abort).ConfigureAwait(false);
            }

            var elapsed = _time.GetElapsedTime(started);
            _reconcileTime.Observe(elapsed.TotalSeconds);
            if (aborted || abort.IsCancellationRequested)
            {
                LogAborted(_logger, key.ToString());
                return;
            }

            Schedule(queue, entry.Summary, result, elapsed);
        }
    }

    /// <summary>
    /// The object a pass starts from: the informer's copy, unless this process wrote the object's status since that copy
    /// (the watch has not delivered the write yet); then one live read, so a pass never decides from an older status than
    /// the one it wrote itself (a crash-safety marker it would not see, a message it would overwrite).
    /// </summary>
    private async Task<CacheEntry?> CurrentAsync(ObjectKey key, CancellationToken abort)
    {
        var cached = _informer.Store.Get(key);
        if (cached is null || StatusPublisher.PendingWrite(_registration.Descriptor, key) is not { } written)
        {
            return cached;
        }

        var current = cached;
        if (cached.Summary.ResourceVersion != written)
        {
            try
            {
                current = CacheEntry.From(await _api.GetAsync(_registration.Descriptor, key, abort).ConfigureAwait(false));
                LogLiveRead(_logger, key.ToString(), cached.Summary.ResourceVersion, written);
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
                current = null;
            }
        }

        StatusPublisher.Delivered(_registration.Descriptor, key, written);
        return current;
    }

    private async Task<ReconcileResult> PublishStatusAsync(
        TResource resource, ReconcileContext context, string? before, ReconcileResult result, CancellationToken abort)
    {
        try
        {
            var after = _status.Desired(resource, context.Generation, context.ReconcileRequestedAt, _registration.Options.StampObservedGeneration);
            if (!StatusPublisher.Changed(before, after))
            {
                return result;
            }

            var write = await _status.WriteAsync(resource, after, _status.BasisOf(resource, before), abort).ConfigureAwait(false);
            if (write.Stale)
            {
                // The pass ran on a view older than the status on the server (the cache had not delivered the last write
                // yet): nothing was written; look again once the cache has caught up.
                LogStatusStale(_logger, context.Key.ToString());
                return ReconcileResult.RequeueAfter(StaleStatusRetry, "StatusStale");
            }

            if (write.Conflicts > 0)
            {
                LogStatusConflicts(_logger, context.Key.ToString(), write.Conflicts);
            }

            return result;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return result;
        }
        catch (Exception ex)
        {
            LogStatusFailed(_logger, context.Key.ToString(), ex);
            return result.Outcome == ReconcileOutcome.Transient ? result : ReconcileResult.Transient("StatusUpdateFailed", ex);
        }
    }

    private void Schedule(WorkQueue queue, ObjectSummary seen, ReconcileResult result, TimeSpan elapsed)
    {
        var key = seen.Key;
        var decision = _policy.Decide(result, _random.NextDouble());
        switch (result.Outcome)
        {
            case ReconcileOutcome.Done:
                _success.Inc();
                LogDone(_logger, key.ToString(), elapsed, decision.Delay ?? TimeSpan.Zero);
                break;
            case ReconcileOutcome.RequeueAfter:
                _requeueAfter.Inc();
                LogRequeue(_logger, key.ToString(), result.Reason ?? string.Empty, decision.Delay ?? TimeSpan.Zero);
                break;
            case ReconcileOutcome.Terminal:
                _error.Inc();
                _errors.Inc();
                _metrics.TerminalErrors.WithLabels(Name).Inc();
                LogTerminal(_logger, key.ToString(), result.Reason ?? string.Empty, result.Message ?? string.Empty, decision.Delay ?? TimeSpan.Zero);
                break;
            default:
                _error.Inc();
                _errors.Inc();
                break;
        }

        if (result.Outcome == ReconcileOutcome.Terminal)
        {
            _terminal.Remember(key, seen);
        }
        else
        {
            _terminal.Clear(key);
        }

        if (decision.Kind == ScheduleKind.Backoff)
        {
            var delay = queue.AddRateLimited(key, decision.Trigger);
            LogTransient(_logger, key.ToString(), result.Reason ?? string.Empty, result.Message ?? string.Empty, delay, result.Exception);
        }
        else
        {
            queue.Forget(key);
            queue.Reschedule(key, decision.Delay ?? TimeSpan.Zero, decision.Trigger);
        }

        if (result.Outcome is ReconcileOutcome.Terminal or ReconcileOutcome.Transient && _informer.Store.Get(key) is { } current)
        {
            // Events carry the outcome's reason and message (never an exception's stack).
            _events.Record(current.Deserialize<TResource>(), EventType.Warning, result.Reason ?? "ReconcileError", result.Message ?? result.Reason ?? string.Empty);
        }
    }

    private void CollectGauges()
    {
        var queue = Volatile.Read(ref _queue);
        var inFlight = queue?.InFlight() ?? [];
        _metrics.UnfinishedWork.WithLabels(Name, Name).Set(inFlight.Sum(t => t.TotalSeconds));
        _metrics.LongestRunning.WithLabels(Name, Name).Set(inFlight.Count == 0 ? 0 : inFlight.Max(t => t.TotalSeconds));
        _metrics.Paused.WithLabels(Name).Set(_informer.Store.Values.Count(e => e.Summary.Paused));
        _metrics.Terminal.WithLabels(Name).Set(_terminal.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Controller} started with {Workers} workers, {UrgentWorkers} reserved for urgent keys, and {Queued} queued objects")]
    private static partial void LogStarted(ILogger logger, string controller, int workers, int urgentWorkers, int queued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Controller} stopped")]
    private static partial void LogStopped(ILogger logger, string controller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Controller}: {Key} is paused (openkbs.com/paused=true); skipping")]
    private static partial void LogPaused(ILogger logger, string controller, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller {Controller}: {Key} is terminal and unchanged; skipping trigger {Trigger}")]
    private static partial void LogTerminalSkip(ILogger logger, string controller, string key, ReconcileTrigger trigger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciling {Key} (trigger {Trigger}, retries {Retries})")]
    private static partial void LogReconciling(ILogger logger, string key, ReconcileTrigger trigger, int retries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciled {Key} in {Elapsed}; next drift check in {Delay}")]
    private static partial void LogDone(ILogger logger, string key, TimeSpan elapsed, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Requeue {Key}: {Reason}; next pass in {Delay}")]
    private static partial void LogRequeue(ILogger logger, string key, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Terminal {Key}: {Reason}: {Message}; waiting for a spec change or reconcile request (re-check in {Delay})")]
    private static partial void LogTerminal(ILogger logger, string key, string reason, string message, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient failure of {Key}: {Reason}: {Message}; retry in {Delay}")]
    private static partial void LogTransient(ILogger logger, string key, string reason, string message, TimeSpan delay, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile of {Key} aborted (leadership lost or shutdown)")]
    private static partial void LogAborted(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key}: the cache holds resourceVersion {Cached}, older than this process's status write {Written}; the pass starts from a live read")]
    private static partial void LogLiveRead(ILogger logger, string key, string cached, string written);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status of {Key} not written: the pass ran on a view older than the status on the server; looking again")]
    private static partial void LogStatusStale(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status of {Key} written after {Conflicts} conflict(s)")]
    private static partial void LogStatusConflicts(ILogger logger, string key, int conflicts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status update of {Key} failed")]
    private static partial void LogStatusFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Controller {Controller}: unexpected failure processing {Key}; retrying")]
    private static partial void LogUnexpected(ILogger logger, string controller, string key, Exception exception);
}
