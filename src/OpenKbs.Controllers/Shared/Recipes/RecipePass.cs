using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>
/// One reconcile of one object, what every kind's pass shares: the object (a private copy whose status the pass writes), its
/// AWS actor (every AWS write lands in the audit trail under it), the clock, events, conditions with the pass's generation,
/// status checkpoints through the runtime's status store, and the typed <see cref="Recipes.Facts"/> steps hand to later steps.
/// A kind's pass (<c>AccountPass</c>, <c>ProjectContext</c>, <c>TransferPass</c>, <c>AuditPass</c>) adds only its clients and caches.
/// </summary>
internal abstract class RecipePass<TResource, TSpec, TStatus> : IHasFacts
    where TResource : CustomResource<TSpec, TStatus>
    where TSpec : class
    where TStatus : ResourceStatus, new()
{
    private readonly Action<EventType, string, string> _recordEvent;
    private readonly IStatusStore<TResource>? _store;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <param name="resource">The object; its status is created when it has none.</param>
    /// <param name="controller">The controller name the AWS audit records carry.</param>
    /// <param name="clock">The pass's clock.</param>
    /// <param name="recordEvent">Records a Kubernetes Event on the object.</param>
    /// <param name="store">Where checkpoints go; null for a kind whose passes write status only at the end.</param>
    protected RecipePass(TResource resource, string controller, TimeProvider clock, Action<EventType, string, string> recordEvent, IStatusStore<TResource>? store)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(recordEvent);
        Resource = resource;
        Resource.Status ??= new TStatus();
        Clock = clock;
        _recordEvent = recordEvent;
        _store = store;
        Actor = AwsActors.For(resource, controller);
    }

    public TResource Resource { get; }

    public TSpec Spec => Resource.Spec;

    public TStatus Status => Resource.Status!;

    public string Namespace => Resource.Metadata.NamespaceProperty;

    public string Name => Resource.Metadata.Name;

    public string Uid => Resource.Metadata.Uid ?? string.Empty;

    public ObjectKey Key => ObjectKey.From(Resource);

    public long Generation => Resource.Metadata.Generation ?? 0;

    /// <summary>Who the AWS layer's audit records name (the controller and this object).</summary>
    public AwsActor Actor { get; }

    public TimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The typed facts earlier steps of this pass returned; filed by the recipe engine.</summary>
    public Facts Facts { get; } = new();

    /// <summary>The condition types this pass has written so far.</summary>
    public IReadOnlySet<string> WrittenThisPass => _written;

    /// <summary>Sets a condition with this pass's generation and clock; true when it changed.</summary>
    public bool SetCondition(string type, string status, string reason, string message)
    {
        _written.Add(type);
        return Conditions.Set(Status.Conditions, type, status, reason, message, Generation, Now);
    }

    public V1ConditionView Condition(string type) => new(Conditions.Find(Status.Conditions, type));

    /// <summary>Records a Kubernetes Event on the object (never with a secret).</summary>
    public void Event(EventType type, string reason, string message) => _recordEvent(type, reason, message);

    /// <summary>
    /// Writes the status now: a checkpoint a crash must not lose (e.g. a handle AWS returned). Throws
    /// <see cref="StatusConflictException"/> when the object changed meanwhile; the recipe then runs the pass again.
    /// </summary>
    public Task SaveStatusAsync(CancellationToken cancellationToken) => Store.SaveStatusAsync(Resource, cancellationToken);

    /// <summary>
    /// Replaces the cached copy's status and resourceVersion by the API server's current ones, so decisions about a
    /// non-idempotent call never rest on a stale cache. Returns false when the spec changed meanwhile (re-run the pass).
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var latest = await Store.GetAsync(Key, cancellationToken)
            ?? throw new StatusConflictException($"{Key} is gone") { Gone = true };
        if (!string.Equals(latest.Metadata.Uid, Resource.Metadata.Uid, StringComparison.Ordinal))
        {
            throw new StatusConflictException($"{Key} was replaced by a new object") { Gone = true };
        }

        if (latest.Metadata.Generation != Resource.Metadata.Generation)
        {
            return false;
        }

        if (!string.Equals(latest.Metadata.ResourceVersion, Resource.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            Resource.Metadata.ResourceVersion = latest.Metadata.ResourceVersion;
            Resource.Status = latest.Status ?? new TStatus();
        }

        return true;
    }

    /// <summary>The owner reference that makes a Kubernetes object the pass creates (a ConfigMap) go with this one.</summary>
    public V1OwnerReference Owner() => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = Resource.Kind,
        Name = Name,
        Uid = Resource.Metadata.Uid,
    };

    private IStatusStore<TResource> Store =>
        _store ?? throw new InvalidOperationException($"a {Resource.Kind} pass has no status store: its status is written once, at the end of the pass");
}
