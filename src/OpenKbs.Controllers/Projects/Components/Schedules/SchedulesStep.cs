using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Roles;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>
/// SchedulesReady: EventBridge Scheduler schedules in group <see cref="ProjectNames.ScheduleGroup"/> (rate/cron/at with
/// <c>timezone</c>, state from <c>enabled</c>, no flexible window) invoking <see cref="FunctionFacts.Arns"/> (set by the
/// functions step, which runs before) through role <see cref="ProjectNames.SchedulerRole"/> (<see cref="ScheduleRendering"/>: trusts
/// scheduler.amazonaws.com for this account only; may invoke exactly the functions the schedules name). Each schedule is read and
/// compared (<see cref="ScheduleDelta.Between"/>); one that differs is replaced with UpdateSchedule (a full replace); schedules in
/// the group that left the spec are deleted. Status <c>schedules</c> (name, ARN, state). Finalize: Retain tags the group and role
/// released; Delete deletes the group (with its schedules) and the role. The step decides (ownership, events, status);
/// <see cref="ScheduleManager"/> and <see cref="RoleManager"/> observe and apply.
/// </summary>
internal sealed partial class SchedulesStep(ILogger<SchedulesStep> logger) : IProjectStep
{
    public string Name => "schedules";

    public string? ConditionType => ConditionTypes.SchedulesReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var schedules = context.Spec.Schedules ?? [];
        if (schedules.Count == 0 && context.Status.Schedules is not { Count: > 0 })
        {
            return StepOutcome.Disabled("no schedules in the spec");
        }

        var arns = context.Facts.Find<FunctionFacts>()?.Arns ?? new Dictionary<string, string>();
        var missing = schedules.Where(s => !arns.ContainsKey(s.Function)).Select(s => s.Function).Distinct().ToList();
        if (missing.Count > 0)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, $"waiting for function(s) {string.Join(", ", missing)}",
                context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));
        }

        var manager = new ScheduleManager(context.Aws.Scheduler);
        var group = context.Names.ScheduleGroup;
        string? roleArn = null;
        if (schedules.Count > 0)
        {
            var role = await EnsureRoleAsync(context, [.. schedules.Select(s => arns[s.Function])], cancellationToken);
            if (role.Outcome is { } stop)
            {
                return stop;
            }

            roleArn = role.Arn;
        }

        if (await EnsureGroupAsync(context, manager, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        var existing = await manager.ListScheduleNamesAsync(group, cancellationToken);
        var status = new List<ScheduleStatus>();
        foreach (var schedule in schedules)
        {
            var desired = ScheduleRendering.Desired(group, schedule, arns[schedule.Function], roleArn!);
            string? arn;
            if (!existing.Contains(schedule.Name))
            {
                var (created, createdArn) = await manager.CreateScheduleAsync(desired, cancellationToken);

                // Not created: an earlier pass created it and its answer was lost; replace it with the desired state.
                arn = created ? createdArn : await manager.UpdateScheduleAsync(desired, cancellationToken);
            }
            else
            {
                var observed = await manager.ObserveScheduleAsync(group, schedule.Name, cancellationToken);
                arn = observed.Arn;
                var delta = ScheduleDelta.Between(desired, observed);
                if (!delta.IsEmpty)
                {
                    LogDelta(logger, context.Key.ToString(), schedule.Name, delta.ToString());
                    arn = await manager.UpdateScheduleAsync(desired, cancellationToken) ?? arn;
                    context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"schedule {schedule.Name}: put back {delta}");
                }
            }

            status.Add(new ScheduleStatus { Name = schedule.Name, Arn = arn, State = desired.State });
        }

        foreach (var name in existing.Where(n => schedules.All(s => s.Name != n)).Order(StringComparer.Ordinal))
        {
            await manager.DeleteScheduleAsync(group, name, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting, $"schedule {name} deleted: it is no longer in the spec");
        }

        context.Status.Schedules = status.Count > 0 ? status : null;
        if (schedules.Count == 0)
        {
            return StepOutcome.Disabled("no schedules in the spec (removed ones deleted)");
        }

        return StepOutcome.Ready($"{schedules.Count} schedule(s) in group {group} invoke {string.Join(", ", schedules.Select(s => s.Function).Distinct().Order(StringComparer.Ordinal))} through {context.Names.SchedulerRole}");
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = new ScheduleManager(context.Aws.Scheduler);
        var group = context.Names.ScheduleGroup;
        var roleName = context.Names.SchedulerRole;
        var uid = context.Project.Metadata.Uid;
        var existing = await manager.ObserveGroupAsync(group, cancellationToken);
        var groupOurs = existing is not null && existing.OwnerOtherThan(uid) is null;

        var roles = new RoleManager(context.Aws.Iam);
        var role = await roles.GetAsync(roleName, cancellationToken);
        var roleTags = role is null ? [] : (await roles.TagsAsync(role, cancellationToken)).Pairs();
        var roleOurs = role is not null && OwnershipTags.ForeignOwner(roleTags, uid) is null;

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (existing is not null && groupOurs && !existing.Released)
            {
                await manager.TagGroupAsync(existing.Arn, Labels.Released, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
            }

            if (role is not null && roleOurs && !OwnershipTags.IsReleased(roleTags))
            {
                await roles.TagAsync(roleName, Labels.Released, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
            }

            return StepOutcome.Ready(existing is null ? "no schedules" : $"schedule group {group} kept (tagged {Labels.Released})");
        }

        if (existing is not null && groupOurs)
        {
            await manager.DeleteGroupAsync(group, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: schedule group {group} and its schedules deleted");
        }

        if (role is not null && roleOurs)
        {
            await roles.DeleteAsync(roleName, cancellationToken);
        }

        context.Status.Schedules = null;
        return StepOutcome.Ready("schedules, their group and the scheduler role deleted");
    }

    private static async Task<(string? Arn, StepOutcome? Outcome)> EnsureRoleAsync(ProjectContext context, IReadOnlyList<string> functionArns, CancellationToken cancellationToken)
    {
        var roles = new RoleManager(context.Aws.Iam);
        var desired = new RoleDesired(
            context.Names.SchedulerRole,
            $"OpenKBS project {context.Key}: EventBridge Scheduler invokes the project's scheduled functions",
            ScheduleRendering.TrustPolicy(context.AccountId),
            ScheduleRendering.RolePolicyName,
            ScheduleRendering.RolePolicy(functionArns),
            context.Tags,
            OnlyThisPolicy: false);
        var role = await roles.GetAsync(desired.Name, cancellationToken) ?? await roles.CreateAsync(desired, cancellationToken);
        var observed = await roles.ObserveAsync(role, desired, cancellationToken);
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return (null, StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"role {desired.Name} belongs to {owner}, not to this Project; nothing was changed"));
        }

        await roles.ApplyAsync(desired, RoleDelta.Between(desired, observed), cancellationToken);
        return (role.Arn, null);
    }

    /// <summary>Creates the group or puts its owner tags back; a Terminal outcome when another owner's group has the name.</summary>
    private static async Task<StepOutcome?> EnsureGroupAsync(ProjectContext context, ScheduleManager manager, CancellationToken cancellationToken)
    {
        var group = context.Names.ScheduleGroup;
        if (await manager.ObserveGroupAsync(group, cancellationToken) is not { } observed)
        {
            await manager.CreateGroupAsync(group, context.Tags, cancellationToken);
            return null;
        }

        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"schedule group {group} belongs to {owner}, not to this Project; nothing was changed");
        }

        await manager.ApplyGroupAsync(observed.Arn, ScheduleGroupDelta.Between(context.Tags, observed), cancellationToken);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: schedule {Schedule} differs in {Delta}; replacing it (UpdateSchedule)")]
    private static partial void LogDelta(ILogger logger, string key, string schedule, string delta);
}
