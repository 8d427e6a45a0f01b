using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Schedules;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class ScheduleRenderingTests
{
    private const string Function = "arn:aws:lambda:eu-central-1:123456789012:function:tenants-shop-12345678-api";
    private const string Role = "arn:aws:iam::123456789012:role/okbs-tenants-shop-12345678-sched";

    private static UpdateScheduleRequest Desired(ScheduleSpec? schedule = null) =>
        ScheduleRendering.Desired("group", schedule ?? new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "api" }, Function, Role);

    [Theory]
    [InlineData(null, null, "UTC", "ENABLED")]
    [InlineData("Europe/Paris", false, "Europe/Paris", "DISABLED")]
    [InlineData("Europe/Berlin", true, "Europe/Berlin", "ENABLED")]
    public void Time_zone_defaults_to_UTC_and_state_follows_enabled(string? timezone, bool? enabled, string expectedZone, string expectedState)
    {
        var desired = Desired(new ScheduleSpec { Name = "once", Expression = "at(2026-12-24T18:00:00)", Timezone = timezone, Function = "api", Enabled = enabled });
        Assert.Equal((expectedZone, expectedState, "OFF", Function, Role), (desired.ScheduleExpressionTimezone, desired.State, desired.FlexibleTimeWindow.Mode, desired.Target.Arn, desired.Target.RoleArn));
    }

    [Fact]
    public void The_scheduler_role_may_invoke_exactly_the_scheduled_functions()
    {
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Sid":"InvokeScheduledFunctions","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["arn:a","arn:b"]}]}""",
            ScheduleRendering.RolePolicy(["arn:b", "arn:a", "arn:b"]));
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}""",
            ScheduleRendering.TrustPolicy("123456789012"));
    }
}
