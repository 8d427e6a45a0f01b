using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Scheduler;
using OpenKbs.Aws.Scheduler.Model;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>
/// The schedules component's AWS side (ACK's "sdk" layer): observes the project's schedule group and its schedules and
/// applies what <see cref="SchedulesStep"/> decided, through the Scheduler client; no decisions, no events, no status. The
/// scheduler role is <see cref="Roles.RoleManager"/>'s. A drift check of an unchanged group costs 3 + s reads
/// (GetScheduleGroup, ListTagsForResource, ListSchedules, one GetSchedule per schedule).
/// </summary>
internal sealed class ScheduleManager(ISchedulerClient scheduler)
{
    /// <summary>The group's ARN and tags (two reads), or null when there is no group.</summary>
    public async Task<ScheduleGroupObservation?> ObserveGroupAsync(string group, CancellationToken cancellationToken)
    {
        string arn;
        try
        {
            arn = (await scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = group }, cancellationToken)).Arn!;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }

        return new ScheduleGroupObservation(arn, (await scheduler.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn }, cancellationToken)).Tags);
    }

    /// <summary>Creates the group with its owner tags; an earlier pass's group (its answer was lost) is read back. Returns its ARN.</summary>
    public async Task<string> CreateGroupAsync(string group, IReadOnlyDictionary<string, string> ownerTags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownerTags);
        try
        {
            return (await scheduler.CreateScheduleGroupAsync(new CreateScheduleGroupRequest { Name = group, Tags = Tags(ownerTags) }, cancellationToken)).ScheduleGroupArn!;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.ConflictException)
        {
            return (await scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = group }, cancellationToken)).Arn!;
        }
    }

    /// <summary>Writes what <paramref name="delta"/> names on the group: the missing owner tags, then the released tag's removal.</summary>
    public async Task ApplyGroupAsync(string groupArn, ScheduleGroupDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.MissingTags.Count > 0)
        {
            await scheduler.TagResourceAsync(new TagResourceRequest { ResourceArn = groupArn, Tags = Tags(delta.MissingTags) }, cancellationToken);
        }

        if (delta.Unrelease)
        {
            await scheduler.UntagResourceAsync(new UntagResourceRequest { ResourceArn = groupArn, TagKeys = [Labels.Released] }, cancellationToken);
        }
    }

    public Task TagGroupAsync(string groupArn, string key, string value, CancellationToken cancellationToken) =>
        scheduler.TagResourceAsync(new TagResourceRequest { ResourceArn = groupArn, Tags = [new Tag { Key = key, Value = value }] }, cancellationToken);

    /// <summary>Deletes the group; Scheduler deletes its schedules with it.</summary>
    public Task DeleteGroupAsync(string group, CancellationToken cancellationToken) =>
        scheduler.DeleteScheduleGroupAsync(new DeleteScheduleGroupRequest { Name = group }, cancellationToken);

    /// <summary>The names of the schedules in the group (every page).</summary>
    public async Task<IReadOnlySet<string>> ListScheduleNamesAsync(string group, CancellationToken cancellationToken) =>
        (await scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = group }, cancellationToken)).Schedules
            .Where(s => s.Name is not null).Select(s => s.Name!).ToHashSet(StringComparer.Ordinal);

    public async Task<ScheduleObservation> ObserveScheduleAsync(string group, string name, CancellationToken cancellationToken) =>
        ScheduleObservation.From(await scheduler.GetScheduleAsync(new GetScheduleRequest { Name = name, GroupName = group }, cancellationToken));

    /// <summary>Creates the schedule; <c>Created</c> is false (and no ARN) when one of that name exists already (an earlier pass's, its answer lost).</summary>
    public async Task<(bool Created, string? Arn)> CreateScheduleAsync(UpdateScheduleRequest desired, CancellationToken cancellationToken)
    {
        try
        {
            return (true, (await scheduler.CreateScheduleAsync(ScheduleRendering.Create(desired), cancellationToken)).ScheduleArn);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.ConflictException)
        {
            return (false, null);
        }
    }

    /// <summary>Replaces the schedule with <paramref name="desired"/> (UpdateSchedule is a full replace); returns its ARN.</summary>
    public async Task<string?> UpdateScheduleAsync(UpdateScheduleRequest desired, CancellationToken cancellationToken) =>
        (await scheduler.UpdateScheduleAsync(desired, cancellationToken)).ScheduleArn;

    /// <summary>Deletes the schedule; one already gone is no error.</summary>
    public async Task DeleteScheduleAsync(string group, string name, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.DeleteScheduleAsync(new DeleteScheduleRequest { Name = name, GroupName = group }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }
    }

    private static List<Tag> Tags(IEnumerable<KeyValuePair<string, string>> tags) => [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })];
}
