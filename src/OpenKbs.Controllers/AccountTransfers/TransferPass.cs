using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// One reconcile of one AccountTransfer: the object (a private copy; its status is what the pass writes), the management
/// clients bound to this object's actor, the caches of ClientAccounts, Projects and AccountTransfers, the Secrets and
/// ConfigMaps of the namespace, events, conditions, the step ledger and checkpoints.
/// </summary>
internal sealed class TransferPass
{
    private readonly IStatusStore<AccountTransfer> _store;
    private readonly Action<EventType, string, string> _recordEvent;

    public TransferPass(
        AccountTransfer resource,
        IAwsClientFactory aws,
        TransferCaches caches,
        IStatusStore<AccountTransfer> store,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Resource = resource;
        Resource.Status ??= new AccountTransferStatus();
        Aws = aws;
        Caches = caches;
        _store = store;
        Clock = clock;
        _recordEvent = recordEvent;
        Actor = AwsActors.For(resource, AccountTransferRegistration.ControllerName);
        Management = aws.ForManagement(Actor);
    }

    public AccountTransfer Resource { get; }

    public AccountTransferSpec Spec => Resource.Spec;

    public AccountTransferStatus Status => Resource.Status!;

    public string Namespace => Resource.Metadata.NamespaceProperty;

    public string Name => Resource.Metadata.Name;

    public ObjectKey Key => ObjectKey.From(Resource);

    public long Generation => Resource.Metadata.Generation ?? 0;

    public IAwsClientFactory Aws { get; }

    public IManagementClients Management { get; }

    public TransferCaches Caches { get; }

    public TimeProvider Clock { get; }

    public AwsActor Actor { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The account id recorded at preflight (the hold is on from then).</summary>
    public string AccountId => Status.AccountId ?? throw new InvalidOperationException("no account id before preflight");

    /// <summary>The client account's clients through the access role, in its home region (900 s sessions).</summary>
    public IMemberAccountClients Member() => Aws.ForAccount(AccountId, Status.AccessRoleName ?? ClientAccountSpec.DefaultAccessRoleName, Status.Region!, Actor);

    /// <summary>The ClientAccount this transfer names, from the cache (its own namespace only).</summary>
    public ClientAccount? ClientAccount => Caches.Accounts.Get(Namespace, Spec.ClientAccountRef.Name);

    /// <summary>The Projects of the namespace that use the ClientAccount.</summary>
    public IReadOnlyList<Project> Projects => [.. Caches.Projects.List(Namespace)
        .Where(p => string.Equals(p.Spec.ClientAccountRef?.Name, Spec.ClientAccountRef.Name, StringComparison.Ordinal))
        .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>Sets a step of the ledger; true when it changed. Events on a change into Waiting, Succeeded or Failed.</summary>
    public bool Step(TransferStepName name, TransferStepState state, string message)
    {
        var before = TransferPlan.Get(Status, name).State;
        var changed = TransferPlan.Set(Status, name, state, message, Now);
        if (changed && before != state && state is TransferStepState.Succeeded or TransferStepState.Failed or TransferStepState.Waiting)
        {
            _recordEvent(state == TransferStepState.Failed ? EventType.Warning : EventType.Normal, $"{name}{state}", message);
        }

        return changed;
    }

    /// <summary>Sets a condition with this pass's generation; true when it changed.</summary>
    public bool SetCondition(string type, string status, string reason, string message) =>
        Conditions.Set(Status.Conditions, type, status, reason, message, Generation, Now);

    public V1ConditionView Condition(string type) => new(Conditions.Find(Status.Conditions, type));

    public void Event(EventType type, string reason, string message) => _recordEvent(type, reason, message);

    /// <summary>Writes the status now (a crash-safety checkpoint); throws <see cref="StatusConflictException"/> when the object changed meanwhile.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => _store.SaveStatusAsync(Resource, cancellationToken);

    /// <summary>The owner reference that makes the transfer's ConfigMap go with it.</summary>
    public V1OwnerReference Owner() => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = AccountTransfer.KubeKind,
        Name = Name,
        Uid = Resource.Metadata.Uid,
    };
}
