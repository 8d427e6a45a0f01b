using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Steps;

/// <summary>
/// PLACEHOLDER, filled by engineer <c>project2</c>: per function and period (calendar month to date), Invocations (Sum), Errors
/// (Sum) and Duration (Average) from CloudWatch GetMetricData in one call, into status <c>usage</c>, refreshed only when
/// <c>status.usage.updatedAt</c> is older than <see cref="ProjectWaits.UsageRefresh"/> (so drift checks cost no extra call). It owns
/// no condition and never blocks Ready (a CloudWatch hiccup keeps the last figures). Until then: NotImplemented, without effect.
/// </summary>
internal sealed class UsageStep : IProjectStep
{
    public string Name => "usage";

    public string? ConditionType => null;

    public Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.NotImplemented("the usage step is not implemented yet (engineer project2)"));

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release"));
}
