using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Steps;

/// <summary>Placeholder until the real step lands (engineer: project (this room)).</summary>
internal sealed class ExecutionRoleStep : IProjectStep
{
    public string Name => "execution-role";

    public string? ConditionType => null;

    public Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.NotImplemented("the execution-role step is not implemented yet"));

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release"));
}
