using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The runtime's entry point: the AccountTransfer gate first (a held or transferred project makes no AWS call: no deployment,
/// deletion policy Retain forced), then one pass of <see cref="ProjectRecipe"/> per reconcile.
/// </summary>
internal sealed class ProjectReconciler(ProjectRecipe recipe, TransferGate transfers) : IReconciler<Project>
{
    public async Task<ReconcileResult> ReconcileAsync(Project resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        if (await transfers.ProjectAsync(resource, context, cancellationToken) is { } held)
        {
            return held;
        }

        return await recipe.RunAsync(resource, new ContextFinalizer(context), context.Clock, context.RecordEvent, cancellationToken);
    }
}
