using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// The hold and the release, as the ClientAccount and Project controllers apply them before anything else in a pass (one call in
/// each reconciler). An AccountTransfer holds a ClientAccount from the moment its preflight recorded the account id:
/// <list type="bullet">
/// <item>held: the pass makes no AWS call at all (no deployment, no drift correction, no access probe) and says so in Synced
/// (reason <see cref="ConditionReasons.OnTransferHold"/>, which is also the transfer's acknowledgement); a deletion releases the
/// object without touching AWS (deletion policy Retain, forced, without even the release tags);</item>
/// <item>once the transfer proved the access role gone: released for good, the finalizer removed without touching AWS, state
/// Transferred (ClientAccount) or transferredAt (Project), and from then on never reconciled again, whatever happens to the
/// transfer;</item>
/// <item>a transfer deleted before the removal (cancelled) holds nothing: the next pass is an ordinary one.</item>
/// </list>
/// </summary>
internal sealed class TransferGate(IResourceCache<AccountTransfer> transfers)
{
    /// <summary>True when the object's Synced condition shows it is on hold (its passes make no AWS call any more).</summary>
    public static bool Acknowledged(IEnumerable<V1Condition>? conditions) =>
        Conditions.Find(conditions, ConditionTypes.Synced) is { Reason: ConditionReasons.OnTransferHold };

    /// <summary>The transfer holding the ClientAccount <paramref name="account"/> of <paramref name="ns"/> (account id recorded), or null.</summary>
    public AccountTransfer? HolderOf(string ns, string account) => transfers.List(ns)
        .Where(t => t.Status?.AccountId is not null && string.Equals(t.Spec.ClientAccountRef.Name, account, StringComparison.Ordinal))
        .OrderBy(t => t.Metadata.CreationTimestamp)
        .FirstOrDefault();

    /// <summary>The ClientAccount's gate: a result ends the pass here (no AWS call); null lets the ordinary pass run.</summary>
    public async Task<ReconcileResult?> ClientAccountAsync(ClientAccount account, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(context);
        var status = account.Status ??= new ClientAccountStatus();
        if (status.State == AccountState.Transferred)
        {
            return await ForgetAsync(context, cancellationToken);
        }

        var holder = HolderOf(account.Metadata.NamespaceProperty, account.Metadata.Name);
        if (holder is null || (status.AccountId is not null && status.AccountId != holder.Status!.AccountId))
        {
            return null;
        }

        var now = context.Clock.GetUtcNow().UtcDateTime;
        if (holder.Status!.AccessRevokedAt is not null)
        {
            status.State = AccountState.Transferred;
            status.TransferredAt = now;
            status.TransferredBy = holder.Metadata.Name;
            var message = $"account {holder.Status.AccountId} was handed to the client by AccountTransfer {holder.Metadata.Name}; the operator no longer manages it and never calls AWS for it again";
            context.SetCondition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Transferred, message);
            context.SetCondition(status.Conditions, ConditionTypes.Synced, ConditionStatus.True, ConditionReasons.Transferred, message);
            context.RecordEvent(EventType.Normal, ConditionReasons.Transferred, message);
            return await ForgetAsync(context, cancellationToken);
        }

        return await HoldAsync(context, status.Conditions, holder, () => status.ReleasedAt = now, cancellationToken);
    }

    /// <summary>The Project's gate: a result ends the pass here (no AWS call); null lets the ordinary pass run.</summary>
    public async Task<ReconcileResult?> ProjectAsync(Project project, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(context);
        var status = project.Status ??= new ProjectStatus();
        if (status.TransferredAt is not null)
        {
            return await ForgetAsync(context, cancellationToken);
        }

        var holder = HolderOf(project.Metadata.NamespaceProperty, project.Spec.ClientAccountRef.Name);
        if (holder is null || (status.AccountId is not null && status.AccountId != holder.Status!.AccountId))
        {
            return null;
        }

        var now = context.Clock.GetUtcNow().UtcDateTime;
        if (holder.Status!.AccessRevokedAt is not null)
        {
            status.TransferredAt = now;
            var message = $"handed to the client with account {holder.Status.AccountId} by AccountTransfer {holder.Metadata.Name}: everything keeps running in the client's account; "
                + "the operator no longer manages this project and never calls AWS for it again";
            context.SetCondition(status.Conditions, ConditionTypes.Synced, ConditionStatus.True, ConditionReasons.Transferred, message);
            context.RecordEvent(EventType.Normal, ConditionReasons.Transferred, message);
            return await ForgetAsync(context, cancellationToken);
        }

        return await HoldAsync(context, status.Conditions, holder, () => status.ReleasedAt = now, cancellationToken);
    }

    private static async Task<ReconcileResult> HoldAsync(
        ReconcileContext context, IList<V1Condition> conditions, AccountTransfer holder, Action released, CancellationToken cancellationToken)
    {
        if (context.IsDeleting)
        {
            if (context.HasFinalizer(Finalizers.Default))
            {
                released();
                context.RecordEvent(EventType.Normal, ConditionReasons.Released,
                    $"deleted while AccountTransfer {holder.Metadata.Name} holds the account: released without touching AWS (deletion policy Retain is forced during a transfer)");
                await context.RemoveFinalizerAsync(Finalizers.Default, cancellationToken);
            }

            return ReconcileResult.Done();
        }

        if (context.SetCondition(conditions, ConditionTypes.Synced, ConditionStatus.False, ConditionReasons.OnTransferHold,
                $"held by AccountTransfer {holder.Metadata.Name}: no deployments and no AWS calls until it completes, or until it is deleted before its removal step (cancelled); deleting this object now releases it without touching AWS"))
        {
            context.RecordEvent(EventType.Normal, ConditionReasons.OnTransferHold, $"on hold for AccountTransfer {holder.Metadata.Name}");
        }

        return ReconcileResult.Done();
    }

    /// <summary>A transferred object: the finalizer goes (without AWS), nothing else ever happens.</summary>
    private static async Task<ReconcileResult> ForgetAsync(ReconcileContext context, CancellationToken cancellationToken)
    {
        if (context.HasFinalizer(Finalizers.Default))
        {
            await context.RemoveFinalizerAsync(Finalizers.Default, cancellationToken);
        }

        return ReconcileResult.Done();
    }
}
