using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Controllers;

namespace OpenKbs.Runtime;

/// <summary>Everything a reconciler gets besides the object: identity, trigger, finalizer helpers, events, logger and clock.</summary>
public sealed class ReconcileContext
{
    private readonly IKubernetesObject<V1ObjectMeta> _resource;
    private readonly FinalizerPatcher _finalizers;

    internal ReconcileContext(
        IKubernetesObject<V1ObjectMeta> resource,
        ResourceDescriptor descriptor,
        ReconcileTrigger trigger,
        int retries,
        ILogger logger,
        TimeProvider clock,
        IEventRecorder events,
        FinalizerPatcher finalizers)
    {
        _resource = resource;
        _finalizers = finalizers;
        Descriptor = descriptor;
        Key = ObjectKey.From(resource);
        Trigger = trigger;
        Retries = retries;
        Logger = logger;
        Clock = clock;
        Events = events;
        Generation = resource.Metadata?.Generation ?? 0;
        IsDeleting = resource.Metadata?.DeletionTimestamp is not null;
        ReconcileRequestedAt = resource.Metadata?.Annotations is { } annotations
            && annotations.TryGetValue(RuntimeAnnotations.ReconcileRequestedAt, out var token) ? token : null;
    }

    public ObjectKey Key { get; }

    public ResourceDescriptor Descriptor { get; }

    /// <summary>metadata.deletionTimestamp is set: run the finalizer steps, then <see cref="RemoveFinalizerAsync"/>.</summary>
    public bool IsDeleting { get; }

    /// <summary>Why this pass runs (merged flags).</summary>
    public ReconcileTrigger Trigger { get; }

    /// <summary>Consecutive transient failures before this pass (0 on a healthy object).</summary>
    public int Retries { get; }

    /// <summary>metadata.generation this pass works on; stamp it as observedGeneration (the runtime does for status.observedGeneration).</summary>
    public long Generation { get; }

    /// <summary>The <c>openkbs.com/reconcile-requested-at</c> token, if any.</summary>
    public string? ReconcileRequestedAt { get; }

    /// <summary>Logger scoped to the controller and object key.</summary>
    public ILogger Logger { get; }

    public TimeProvider Clock { get; }

    /// <summary>Records events on any object; <see cref="RecordEvent"/> is the shortcut for this one.</summary>
    public IEventRecorder Events { get; }

    /// <summary>True once a finalizer removal let the object go: the runtime writes no status for it.</summary>
    public bool ObjectRemoved { get; internal set; }

    /// <summary>Records a Kubernetes Event on the object being reconciled.</summary>
    public void RecordEvent(EventType type, string reason, string message) => Events.Record(_resource, type, reason, message);

    /// <summary>Sets a condition with this pass's generation as observedGeneration and the injected clock.</summary>
    public bool SetCondition(IList<V1Condition> conditions, string type, string status, string reason, string message)
        => Conditions.Set(conditions, type, status, reason, message, Generation, Clock.GetUtcNow());

    public bool HasFinalizer(string finalizer) => _resource.Metadata?.Finalizers?.Contains(finalizer) == true;

    /// <summary>
    /// Adds the finalizer (merge patch with a resourceVersion precondition, re-read and retried on 409). The object's
    /// metadata is updated in place, so the pass continues with it. Returns true when the finalizer was added now.
    /// </summary>
    public Task<bool> AddFinalizerAsync(string finalizer, CancellationToken cancellationToken)
        => _finalizers.AddAsync(this, _resource, finalizer, cancellationToken);

    /// <summary>
    /// Removes the finalizer. When the object is being deleted and no finalizer remains, it is gone afterwards
    /// (<see cref="ObjectRemoved"/>). Returns true when the finalizer was removed now.
    /// </summary>
    public Task<bool> RemoveFinalizerAsync(string finalizer, CancellationToken cancellationToken)
        => _finalizers.RemoveAsync(this, _resource, finalizer, cancellationToken);
}
