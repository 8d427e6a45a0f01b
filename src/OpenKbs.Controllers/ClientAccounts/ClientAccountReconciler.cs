using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The runtime's entry point: the AccountTransfer gate first (a held or transferred account makes no AWS call), then one
/// <see cref="AccountPass"/> per reconcile, run through <see cref="ClientAccountRecipe"/>.
/// </summary>
internal sealed class ClientAccountReconciler(IAwsClientFactory aws, IStatusStore<ClientAccount> store, ClientAccountRecipe recipe, TransferGate transfers) : IReconciler<ClientAccount>
{
    public async Task<ReconcileResult> ReconcileAsync(ClientAccount resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        if (await transfers.ClientAccountAsync(resource, context, cancellationToken) is { } held)
        {
            return held;
        }

        var actor = AwsActors.For(resource, ClientAccountRegistration.ControllerName);
        var pass = new AccountPass(resource, aws.ForManagement(actor).Organizations, store, context.Clock, context.RecordEvent, context.Trigger);
        return await recipe.RunAsync(pass, new ContextFinalizer(context), cancellationToken);
    }
}
