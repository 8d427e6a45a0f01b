using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>The project's schedule group as Scheduler reports it (the manager's read): its ARN and tags.</summary>
internal sealed record ScheduleGroupObservation(string Arn, IReadOnlyList<Tag> Tags)
{
    /// <summary>The owner named by a uid tag that is not <paramref name="uid"/>, or null when the group is ours or untagged.</summary>
    public string? OwnerOtherThan(string? uid) =>
        OwnershipTags.ForeignOwner(Tags.Pairs(), uid);

    public bool Released => OwnershipTags.IsReleased(Tags.Pairs());
}

/// <summary>One schedule as GetSchedule reports it: the settings <see cref="ScheduleDelta.Between"/> compares, nothing derived.</summary>
internal sealed record ScheduleObservation(
    string? Arn,
    string? Expression,
    string? Timezone,
    string? State,
    Target? Target,
    FlexibleTimeWindow? FlexibleTimeWindow)
{
    public static ScheduleObservation From(GetScheduleResponse schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new(schedule.Arn, schedule.ScheduleExpression, schedule.ScheduleExpressionTimezone, schedule.State, schedule.Target, schedule.FlexibleTimeWindow);
    }
}
