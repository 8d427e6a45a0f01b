using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Organizations;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// One reconcile of one ClientAccount: the object (a private copy; its status is what the pass writes), the
/// management account's Organizations client bound to this object's actor, events, conditions and checkpoints.
/// </summary>
internal sealed class AccountPass
{
    private readonly IStatusStore<ClientAccount> _store;
    private readonly Action<EventType, string, string> _recordEvent;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public AccountPass(
        ClientAccount resource,
        IOrganizationsClient organizations,
        IStatusStore<ClientAccount> store,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        ReconcileTrigger trigger = ReconcileTrigger.None)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Resource = resource;
        Resource.Status ??= new ClientAccountStatus();
        Organizations = organizations;
        _store = store;
        Clock = clock;
        _recordEvent = recordEvent;
        Trigger = trigger;
        Actor = AwsActors.For(resource, ClientAccountRegistration.ControllerName);
    }

    public ClientAccount Resource { get; }

    public ClientAccountSpec Spec => Resource.Spec;

    public ClientAccountStatus Status => Resource.Status!;

    public string Uid => Resource.Metadata.Uid ?? string.Empty;

    public ObjectKey Key => ObjectKey.From(Resource);

    public long Generation => Resource.Metadata.Generation ?? 0;

    public IOrganizationsClient Organizations { get; }

    public TimeProvider Clock { get; }

    public AwsActor Actor { get; }

    public ReconcileTrigger Trigger { get; }

    /// <summary>The AWS account name: spec.displayName, else the object's name.</summary>
    public string AccountName => string.IsNullOrWhiteSpace(Spec.DisplayName) ? Resource.Metadata.Name : Spec.DisplayName;

    /// <summary>How many checkpoints this pass wrote.</summary>
    public int Checkpoints { get; private set; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Sets a condition with this pass's generation; true when it changed.</summary>
    public bool SetCondition(string type, string status, string reason, string message)
    {
        _written.Add(type);
        return Conditions.Set(Status.Conditions, type, status, reason, message, Generation, Now);
    }

    /// <summary>The condition types this pass has written so far.</summary>
    public IReadOnlySet<string> WrittenThisPass => _written;

    public V1ConditionView Condition(string type) => new(Conditions.Find(Status.Conditions, type));

    public void Event(EventType type, string reason, string message) => _recordEvent(type, reason, message);

    /// <summary>Writes the status now (a crash-safety checkpoint); throws <see cref="StatusConflictException"/> when the object changed meanwhile.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _store.SaveStatusAsync(Resource, cancellationToken);
        Checkpoints++;
    }

    /// <summary>
    /// Replaces the cached copy's status and resourceVersion by the API server's current ones, so decisions about a
    /// non-idempotent call never rest on a stale cache. Returns false when the spec changed meanwhile (re-run the pass).
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var latest = await _store.GetAsync(Key, cancellationToken)
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
            Resource.Status = latest.Status ?? new ClientAccountStatus();
        }

        return true;
    }
}
