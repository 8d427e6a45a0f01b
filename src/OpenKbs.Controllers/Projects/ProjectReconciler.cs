using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>The runtime's entry point: one pass of <see cref="ProjectRecipe"/> per reconcile.</summary>
internal sealed class ProjectReconciler(ProjectRecipe recipe) : IReconciler<Project>
{
    public Task<ReconcileResult> ReconcileAsync(Project resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        return recipe.RunAsync(resource, new ContextFinalizer(context), context.Clock, context.RecordEvent, cancellationToken);
    }
}
