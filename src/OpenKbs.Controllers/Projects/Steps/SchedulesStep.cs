using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Steps;

/// <summary>
/// PLACEHOLDER, filled by engineer <c>project2</c>: EventBridge Scheduler schedules in group <see cref="ProjectNames.ScheduleGroup"/>
/// (rate/cron/at with <c>timezone</c>, state from <c>enabled</c>) invoking <see cref="ProjectContext.FunctionArns"/> (set by the
/// functions step, which runs before) through role <see cref="ProjectNames.SchedulerRole"/> (trusts scheduler.amazonaws.com, may
/// invoke exactly those functions); UpdateSchedule is a full replace; schedules removed from the spec are deleted; status
/// <c>schedules</c>. Finalize: Retain tags the group released; Delete deletes schedules, group and role. Until then: Ready with
/// reason Disabled when there are no schedules, NotImplemented (blocks Ready) when there are.
/// </summary>
internal sealed class SchedulesStep : IProjectStep
{
    public string Name => "schedules";

    public string? ConditionType => ConditionTypes.SchedulesReady;

    public Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Spec.Schedules is { Count: > 0 }
            ? StepOutcome.NotImplemented("the schedules step is not implemented yet (engineer project2)")
            : StepOutcome.Disabled("no schedules in the spec"));
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release"));
}
