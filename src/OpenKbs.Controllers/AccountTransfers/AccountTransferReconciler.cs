using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>The runtime's entry point: one <see cref="TransferPass"/> per reconcile, run through <see cref="TransferRecipe"/>.</summary>
internal sealed class AccountTransferReconciler(IAwsClientFactory aws, IStatusStore<AccountTransfer> store, TransferCaches caches, TransferRecipe recipe) : IReconciler<AccountTransfer>
{
    public Task<ReconcileResult> ReconcileAsync(AccountTransfer resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        var pass = new TransferPass(resource, aws, caches, store, context.Clock, context.RecordEvent);
        return recipe.RunAsync(pass, new ContextFinalizer(context), cancellationToken);
    }
}
