using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Steps;

/// <summary>
/// PLACEHOLDER, filled by engineer <c>project2</c>: the Aurora PostgreSQL Serverless v2 cluster and its db.serverless writer
/// (storage encrypted, backup retention <c>spec.database.backupRetentionDays</c>, deletion protection, master password managed by
/// AWS and never read), status <c>database</c> (endpoint and state, never a secret). Connection details the functions need go to
/// <see cref="ProjectContext.SealedSettings"/> (e.g. <c>OPENKBS_DATABASE</c>) and the execution role's extra statements to
/// <see cref="ProjectContext.ExecutionRoleStatements"/>: both steps run after this one. Waits: <see cref="ProjectWaits.WaitForDatabase"/>.
/// Finalize: Retain tags the cluster <c>openkbs.com/released</c>; Delete takes a final snapshot
/// (<see cref="ProjectNames.DatabaseFinalSnapshotPrefix"/>) and only then deletes. Until then: Disabled when the spec does not
/// enable a database, NotImplemented (Unknown, blocks Ready) when it does.
/// </summary>
internal sealed class DatabaseStep : IProjectStep
{
    public string Name => "database";

    public string? ConditionType => ConditionTypes.DatabaseReady;

    public Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Spec.Database is { Enabled: true }
            ? StepOutcome.NotImplemented("the database step is not implemented yet (engineer project2)")
            : StepOutcome.Disabled("no database: spec.database.enabled is not true"));
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release"));
}
