using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>
/// The settings of one schedule that differ from the desired state (ACK-style delta). UpdateSchedule is a full replace, so
/// any path sends the whole desired schedule; the paths say what drifted (log, events). Computed by <see cref="Between"/>,
/// a pure function of what is wanted and what was observed.
/// </summary>
internal sealed record ScheduleDelta
{
    public const string Expression = "Spec.Expression";
    public const string Timezone = "Spec.Timezone";
    public const string State = "Spec.Enabled";
    public const string Target = "Target";
    public const string FlexibleTimeWindow = "FlexibleTimeWindow";

    public IReadOnlyList<string> Paths { get; private init; } = [];

    public bool IsEmpty => Paths.Count == 0;

    /// <summary>The paths where <paramref name="observed"/> is not <paramref name="desired"/> (a time zone Scheduler omits is UTC).</summary>
    public static ScheduleDelta Between(UpdateScheduleRequest desired, ScheduleObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var paths = new List<string>();
        if (observed.Expression != desired.ScheduleExpression)
        {
            paths.Add(Expression);
        }

        if ((observed.Timezone ?? ScheduleRendering.DefaultTimezone) != desired.ScheduleExpressionTimezone)
        {
            paths.Add(Timezone);
        }

        if (observed.State != desired.State)
        {
            paths.Add(State);
        }

        if (observed.Target is null || observed.Target.Arn != desired.Target.Arn || observed.Target.RoleArn != desired.Target.RoleArn || observed.Target.Input != desired.Target.Input)
        {
            paths.Add(Target);
        }

        if (observed.FlexibleTimeWindow?.Mode != desired.FlexibleTimeWindow.Mode)
        {
            paths.Add(FlexibleTimeWindow);
        }

        return new ScheduleDelta { Paths = paths };
    }

    public override string ToString() => string.Join(", ", Paths);
}

/// <summary>What differs on the schedule group: owner tags missing or changed, and a released tag left by a Retain deletion.</summary>
internal sealed record ScheduleGroupDelta
{
    public IReadOnlyList<KeyValuePair<string, string>> MissingTags { get; private init; } = [];

    /// <summary>The group carries <c>openkbs.com/released</c> (adopted again after a Retain deletion): the tag goes.</summary>
    public bool Unrelease { get; private init; }

    public bool IsEmpty => MissingTags.Count == 0 && !Unrelease;

    public static ScheduleGroupDelta Between(IReadOnlyDictionary<string, string> ownerTags, ScheduleGroupObservation observed)
    {
        ArgumentNullException.ThrowIfNull(ownerTags);
        ArgumentNullException.ThrowIfNull(observed);
        return new ScheduleGroupDelta
        {
            MissingTags = OwnershipTags.Missing(ownerTags, observed.Tags.Pairs()),
            Unrelease = observed.Released,
        };
    }
}
