using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Projects.Components.Schedules;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The schedule and group deltas are pure functions of desired and observed: each drift names exactly its path.</summary>
public sealed class ScheduleDeltaTests
{
    private const string Function = "arn:aws:lambda:eu-central-1:123456789012:function:tenants-shop-12345678-api";
    private const string Role = "arn:aws:iam::123456789012:role/okbs-tenants-shop-12345678-sched";

    private static readonly UpdateScheduleRequest Desired = ScheduleRendering.Desired(
        "group", new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "api" }, Function, Role);

    /// <summary>What GetSchedule returns for a schedule written from <see cref="Desired"/>.</summary>
    private static readonly ScheduleObservation Converged = ScheduleObservation.From(new GetScheduleResponse
    {
        Arn = "arn:aws:scheduler:eu-central-1:123456789012:schedule/group/nightly",
        Name = Desired.Name,
        GroupName = Desired.GroupName,
        ScheduleExpression = Desired.ScheduleExpression,
        ScheduleExpressionTimezone = Desired.ScheduleExpressionTimezone,
        State = Desired.State,
        FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
        Target = Desired.Target with { },
    });

    [Fact]
    public void A_converged_schedule_has_no_delta()
    {
        var delta = ScheduleDelta.Between(Desired, Converged);

        Assert.True(delta.IsEmpty);
        Assert.Equal(string.Empty, delta.ToString());
    }

    [Fact]
    public void A_time_zone_Scheduler_leaves_out_is_UTC()
    {
        var utc = ScheduleRendering.Desired("group", new ScheduleSpec { Name = "often", Expression = "rate(5 minutes)", Function = "api" }, Function, Role);
        var observed = Converged with { Expression = utc.ScheduleExpression, Timezone = null, Target = utc.Target };

        Assert.True(ScheduleDelta.Between(utc, observed).IsEmpty);
        Assert.Equal([ScheduleDelta.Timezone], ScheduleDelta.Between(Desired, observed with { Expression = Desired.ScheduleExpression, Target = Desired.Target }).Paths);
    }

    private static readonly Dictionary<string, (string Path, Func<ScheduleObservation, ScheduleObservation> Drift)> DriftCases = new(StringComparer.Ordinal)
    {
        ["expression"] = (ScheduleDelta.Expression, o => o with { Expression = "rate(5 minutes)" }),
        ["time zone"] = (ScheduleDelta.Timezone, o => o with { Timezone = "UTC" }),
        ["disabled behind our back"] = (ScheduleDelta.State, o => o with { State = "DISABLED" }),
        ["another function"] = (ScheduleDelta.Target, o => o with { Target = o.Target! with { Arn = Function + "x" } }),
        ["another role"] = (ScheduleDelta.Target, o => o with { Target = o.Target! with { RoleArn = Role + "x" } }),
        ["another input"] = (ScheduleDelta.Target, o => o with { Target = o.Target! with { Input = ScheduleRendering.Input("other") } }),
        ["no target"] = (ScheduleDelta.Target, o => o with { Target = null }),
        ["flexible window"] = (ScheduleDelta.FlexibleTimeWindow, o => o with { FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "FLEXIBLE", MaximumWindowInMinutes = 15 } }),
        ["no window"] = (ScheduleDelta.FlexibleTimeWindow, o => o with { FlexibleTimeWindow = null }),
    };

    public static TheoryData<string> Drifts => [.. DriftCases.Keys];

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_drift_names_exactly_its_path(string drift)
    {
        var (path, change) = DriftCases[drift];

        var delta = ScheduleDelta.Between(Desired, change(Converged));

        Assert.Equal([path], delta.Paths);
        Assert.Equal(path, delta.ToString());
    }

    [Fact]
    public void Several_drifts_are_named_in_a_fixed_order()
    {
        var observed = Converged with { FlexibleTimeWindow = null, State = "DISABLED", Expression = "rate(1 day)" };

        Assert.Equal("Spec.Expression, Spec.Enabled, FlexibleTimeWindow", ScheduleDelta.Between(Desired, observed).ToString());
    }

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.Uid] = "u1", [Labels.Owner] = "tenants/shop" };

    private static ScheduleGroupObservation Group(params (string Key, string Value)[] tags) =>
        new("arn:aws:scheduler:eu-central-1:123456789012:schedule-group/group", [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })]);

    [Fact]
    public void A_group_with_its_owner_tags_and_other_tools_tags_has_no_delta()
    {
        var observed = Group((Labels.Uid, "u1"), (Labels.Owner, "tenants/shop"), ("cost-centre", "42"));

        Assert.True(ScheduleGroupDelta.Between(Owner, observed).IsEmpty);
        Assert.Null(observed.OwnerOtherThan("u1"));
    }

    [Fact]
    public void A_group_missing_owner_tags_names_exactly_those()
    {
        var delta = ScheduleGroupDelta.Between(Owner, Group((Labels.Uid, "u1"), (Labels.Owner, "tenants/other")));

        Assert.Equal([KeyValuePair.Create(Labels.Owner, "tenants/shop")], delta.MissingTags);
        Assert.False(delta.Unrelease);
    }

    [Fact]
    public void A_released_group_adopted_again_loses_the_released_tag()
    {
        var delta = ScheduleGroupDelta.Between(Owner, Group((Labels.Uid, "u1"), (Labels.Owner, "tenants/shop"), (Labels.Released, "2026-01-01T00:00:00Z")));

        Assert.Empty(delta.MissingTags);
        Assert.True(delta.Unrelease);
        Assert.False(delta.IsEmpty);
    }

    [Fact]
    public void Another_owners_group_is_named_by_its_owner_tag_or_its_uid()
    {
        Assert.Equal("tenants/other", Group((Labels.Uid, "u2"), (Labels.Owner, "tenants/other")).OwnerOtherThan("u1"));
        Assert.Equal("uid u2", Group((Labels.Uid, "u2")).OwnerOtherThan("u1"));
        Assert.Null(Group().OwnerOtherThan("u1"));
    }
}
