using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// One reconcile of one AccountTransfer (<see cref="RecipePass{TResource, TSpec, TStatus}"/>) with the management clients bound
/// to this object's actor, the caches of ClientAccounts, Projects and AccountTransfers, the Secrets and ConfigMaps of the
/// namespace, and the step ledger.
/// </summary>
internal sealed class TransferPass : RecipePass<AccountTransfer, AccountTransferSpec, AccountTransferStatus>
{
    public TransferPass(
        AccountTransfer resource,
        IAwsClientFactory aws,
        TransferCaches caches,
        IStatusStore<AccountTransfer> store,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent)
        : base(resource, AccountTransferRegistration.ControllerName, clock, recordEvent, store)
    {
        ArgumentNullException.ThrowIfNull(aws);
        Aws = aws;
        Caches = caches;
        Management = aws.ForManagement(Actor);
    }

    public IAwsClientFactory Aws { get; }

    public IManagementClients Management { get; }

    public TransferCaches Caches { get; }

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

    /// <summary>The buckets of the held Projects, as their status names them (the inventory and the hand-over report read them).</summary>
    public IEnumerable<string> HeldBuckets => Projects.Where(p => Status.HeldProjects?.Contains(p.Metadata.Name) == true)
        .Select(p => p.Status?.Storage?.BucketName).OfType<string>();

    /// <summary>Sets a step of the ledger; true when it changed. Events on a change into Waiting, Succeeded or Failed.</summary>
    public bool Step(TransferStepName name, TransferStepState state, string message)
    {
        var before = TransferPlan.Get(Status, name).State;
        var changed = TransferPlan.Set(Status, name, state, message, Now);
        if (changed && before != state && state is TransferStepState.Succeeded or TransferStepState.Failed or TransferStepState.Waiting)
        {
            Event(state == TransferStepState.Failed ? EventType.Warning : EventType.Normal, $"{name}{state}", message);
        }

        return changed;
    }
}
