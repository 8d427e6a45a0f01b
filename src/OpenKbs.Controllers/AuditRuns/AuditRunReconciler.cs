using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>The runtime's entry point: one <see cref="AuditPass"/> per reconcile, run through <see cref="AuditRunRecipe"/>.</summary>
internal sealed class AuditRunReconciler(IAwsClientFactory aws, AuditRunCaches caches, AuditRunRecipe recipe) : IReconciler<AuditRun>
{
    public Task<ReconcileResult> ReconcileAsync(AuditRun resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        var pass = new AuditPass(resource, aws, caches, context.Clock, context.RecordEvent);
        return recipe.RunAsync(pass, cancellationToken);
    }
}
