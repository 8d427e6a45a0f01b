using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>The runtime's entry point: one <see cref="AccountPass"/> per reconcile, run through <see cref="ClientAccountRecipe"/>.</summary>
internal sealed class ClientAccountReconciler(IAwsClientFactory aws, IStatusStore<ClientAccount> store, ClientAccountRecipe recipe) : IReconciler<ClientAccount>
{
    public Task<ReconcileResult> ReconcileAsync(ClientAccount resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        var actor = AwsActors.For(resource, ClientAccountRegistration.ControllerName);
        var pass = new AccountPass(resource, aws.ForManagement(actor).Organizations, store, context.Clock, context.RecordEvent, context.Trigger);
        return recipe.RunAsync(pass, new ContextFinalizer(context), cancellationToken);
    }
}
