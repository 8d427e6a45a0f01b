using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Steps;

/// <summary>Placeholder until the real step lands (engineer: project (this room)).</summary>
internal sealed class ApiKeyStagingStep : IProjectStep
{
    public string Name => "api-key-staging";

    public string? ConditionType => null;

    public Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.NotImplemented("the api-key-staging step is not implemented yet"));

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release"));
}
