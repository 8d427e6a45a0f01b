using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Roles;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;
using SchedulerTag = OpenKbs.Aws.Scheduler.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>
/// SchedulesReady: EventBridge Scheduler schedules in group <see cref="ProjectNames.ScheduleGroup"/> (rate/cron/at with
/// <c>timezone</c>, state from <c>enabled</c>, no flexible window) invoking <see cref="FunctionFacts.Arns"/> (set by the
/// functions step, which runs before) through role <see cref="ProjectNames.SchedulerRole"/> (<see cref="ScheduleRendering"/>: trusts
/// scheduler.amazonaws.com for this account only; may invoke exactly the functions the schedules name). Each schedule is read and
/// compared; one that differs is replaced with UpdateSchedule (a full replace); schedules in the group that left the spec are
/// deleted. Status <c>schedules</c> (name, ARN, state). Finalize: Retain tags the group and role released; Delete deletes the
/// group (with its schedules) and the role.
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

        var scheduler = context.Aws.Scheduler;
        var group = context.Names.ScheduleGroup;
        var changes = new List<string>();
        string? roleArn = null;
        if (schedules.Count > 0)
        {
            var role = await EnsureRoleAsync(context, [.. schedules.Select(s => arns[s.Function])], changes, cancellationToken);
            if (role.Outcome is { } stop)
            {
                return stop;
            }

            roleArn = role.Arn;
        }

        var groupArn = await EnsureGroupAsync(context, changes, cancellationToken);
        if (groupArn.Outcome is { } conflict)
        {
            return conflict;
        }

        var existing = (await scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = group }, cancellationToken)).Schedules
            .Where(s => s.Name is not null).ToDictionary(s => s.Name!, StringComparer.Ordinal);
        var status = new List<ScheduleStatus>();
        foreach (var schedule in schedules)
        {
            var desired = ScheduleRendering.Desired(group, schedule, arns[schedule.Function], roleArn!);
            string? arn;
            if (!existing.ContainsKey(schedule.Name))
            {
                try
                {
                    arn = (await scheduler.CreateScheduleAsync(ScheduleRendering.Create(desired), cancellationToken)).ScheduleArn;
                    changes.Add($"{schedule.Name} created");
                }
                catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.ConflictException)
                {
                    // Created by an earlier pass whose answer was lost: replace it with the desired state.
                    arn = (await scheduler.UpdateScheduleAsync(desired, cancellationToken)).ScheduleArn;
                }
            }
            else
            {
                var current = await scheduler.GetScheduleAsync(new GetScheduleRequest { Name = schedule.Name, GroupName = group }, cancellationToken);
                arn = current.Arn;
                var delta = ScheduleRendering.Delta(current, desired);
                if (delta.Count > 0)
                {
                    LogDelta(logger, context.Key.ToString(), schedule.Name, string.Join(", ", delta));
                    arn = (await scheduler.UpdateScheduleAsync(desired, cancellationToken)).ScheduleArn ?? arn;
                    changes.Add($"{schedule.Name}: {string.Join(", ", delta)}");
                    context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"schedule {schedule.Name}: put back {string.Join(", ", delta)}");
                }
            }

            status.Add(new ScheduleStatus { Name = schedule.Name, Arn = arn, State = desired.State });
        }

        foreach (var name in existing.Keys.Where(n => schedules.All(s => s.Name != n)).Order(StringComparer.Ordinal))
        {
            try
            {
                await scheduler.DeleteScheduleAsync(new DeleteScheduleRequest { Name = name, GroupName = group }, cancellationToken);
            }
            catch (AwsServiceException ex) when (ex.IsNotFound)
            {
            }

            changes.Add($"{name} deleted");
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
        var scheduler = context.Aws.Scheduler;
        var group = context.Names.ScheduleGroup;
        var roleName = context.Names.SchedulerRole;
        GetScheduleGroupResponse? existing;
        try
        {
            existing = await scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = group }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            existing = null;
        }

        var roles = new RoleManager(context.Aws.Iam);
        var role = await roles.GetAsync(roleName, cancellationToken);
        var roleTags = role is null ? [] : await roles.TagsAsync(role, cancellationToken);
        var roleOurs = role is not null && Ours(roleTags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value, context);
        var groupTags = existing?.Arn is { } arn ? (await scheduler.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn }, cancellationToken)).Tags : [];
        var groupOurs = existing is not null && Ours(groupTags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value, context);

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (existing?.Arn is not null && groupOurs && groupTags.All(t => t.Key != Labels.Released))
            {
                await scheduler.TagResourceAsync(new TagResourceRequest { ResourceArn = existing.Arn, Tags = [new SchedulerTag { Key = Labels.Released, Value = Stamp(context) }] }, cancellationToken);
            }

            if (role is not null && roleOurs && roleTags.All(t => t.Key != Labels.Released))
            {
                await roles.TagAsync(roleName, Labels.Released, Stamp(context), cancellationToken);
            }

            return StepOutcome.Ready(existing is null ? "no schedules" : $"schedule group {group} kept (tagged {Labels.Released})");
        }

        if (existing is not null && groupOurs)
        {
            await scheduler.DeleteScheduleGroupAsync(new DeleteScheduleGroupRequest { Name = group }, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: schedule group {group} and its schedules deleted");
        }

        if (role is not null && roleOurs)
        {
            await roles.DeleteAsync(roleName, cancellationToken);
        }

        context.Status.Schedules = null;
        return StepOutcome.Ready("schedules, their group and the scheduler role deleted");
    }

    private static async Task<(string? Arn, StepOutcome? Outcome)> EnsureRoleAsync(ProjectContext context, IReadOnlyList<string> functionArns, List<string> changes, CancellationToken cancellationToken)
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
        var role = await roles.GetAsync(desired.Name, cancellationToken);
        if (role is null)
        {
            role = await roles.CreateAsync(desired, cancellationToken);
            changes.Add("scheduler role created");
        }

        var observed = await roles.ObserveAsync(role, desired, cancellationToken);
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return (null, StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"role {desired.Name} belongs to {owner}, not to this Project; nothing was changed"));
        }

        var delta = RoleDelta.Between(desired, observed);
        await roles.ApplyAsync(desired, delta, cancellationToken);
        if (delta.Trust)
        {
            changes.Add("scheduler role trust");
        }

        if (delta.Policy)
        {
            changes.Add("scheduler role permissions");
        }
        return (role.Arn, null);
    }

    private static async Task<(string? Arn, StepOutcome? Outcome)> EnsureGroupAsync(ProjectContext context, List<string> changes, CancellationToken cancellationToken)
    {
        var scheduler = context.Aws.Scheduler;
        var group = context.Names.ScheduleGroup;
        string arn;
        try
        {
            arn = (await scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = group }, cancellationToken)).Arn!;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            try
            {
                arn = (await scheduler.CreateScheduleGroupAsync(
                    new CreateScheduleGroupRequest { Name = group, Tags = [.. context.Tags.Select(t => new SchedulerTag { Key = t.Key, Value = t.Value })] },
                    cancellationToken)).ScheduleGroupArn!;
            }
            catch (AwsServiceException exists) when (exists.ErrorCode == AwsErrorCode.ConflictException)
            {
                arn = (await scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = group }, cancellationToken)).Arn!;
            }

            changes.Add("group created");
            return (arn, null);
        }

        var tags = (await scheduler.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn }, cancellationToken)).Tags;
        if (tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value is { } uid && uid != context.Project.Metadata.Uid)
        {
            return (null, StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"schedule group {group} belongs to {tags.FirstOrDefault(t => t.Key == Labels.Owner)?.Value ?? uid}, not to this Project; nothing was changed"));
        }

        var missing = context.Tags.Where(t => tags.FirstOrDefault(c => c.Key == t.Key)?.Value != t.Value).Select(t => new SchedulerTag { Key = t.Key, Value = t.Value }).ToList();
        if (missing.Count > 0)
        {
            await scheduler.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = missing }, cancellationToken);
        }

        if (tags.Any(t => t.Key == Labels.Released))
        {
            await scheduler.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = [Labels.Released] }, cancellationToken);
        }

        return (arn, null);
    }

    /// <summary>Untagged (never tagged by anyone) or tagged with this Project's uid.</summary>
    private static bool Ours(string? uid, ProjectContext context) => uid is null || uid == context.Project.Metadata.Uid;

    private static string Stamp(ProjectContext context) =>
        context.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: schedule {Schedule} differs in {Delta}; replacing it (UpdateSchedule)")]
    private static partial void LogDelta(ILogger logger, string key, string schedule, string delta);
}
