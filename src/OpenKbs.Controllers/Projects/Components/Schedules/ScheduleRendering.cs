using System.Text.Json.Nodes;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Scheduler.Model;

namespace OpenKbs.Controllers.Projects.Components.Schedules;

/// <summary>
/// EventBridge Scheduler schedules of a Project as pure functions (table-tested): the scheduler role's documents (only
/// scheduler.amazonaws.com of this account may assume it; it may invoke exactly the functions the schedules name), the desired
/// schedule and its create request. What differs from a current schedule is <see cref="ScheduleDelta"/>'s.
/// </summary>
internal static class ScheduleRendering
{
    /// <summary>The scheduler role's inline policy.</summary>
    public const string RolePolicyName = "openkbs-invoke-functions";

    public const string DefaultTimezone = "UTC";

    /// <summary>Only EventBridge Scheduler, acting for schedules of this account, may assume the role.</summary>
    public static string TrustPolicy(string accountId) => PolicyDocuments.Render(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray
        {
            new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "scheduler.amazonaws.com" },
                ["Action"] = "sts:AssumeRole",
                ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = accountId } },
            },
        },
    });

    /// <summary>lambda:InvokeFunction on exactly <paramref name="functionArns"/> (sorted, distinct), nothing else.</summary>
    public static string RolePolicy(IEnumerable<string> functionArns)
    {
        var arns = functionArns.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(a => (JsonNode?)JsonValue.Create(a)).ToArray();
        return PolicyDocuments.Render(new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray
            {
                new JsonObject
                {
                    ["Sid"] = "InvokeScheduledFunctions",
                    ["Effect"] = "Allow",
                    ["Action"] = "lambda:InvokeFunction",
                    ["Resource"] = new JsonArray(arns),
                },
            },
        });
    }

    /// <summary>The desired schedule (time zone UTC when absent, ENABLED unless <c>enabled: false</c>, no flexible window).</summary>
    public static UpdateScheduleRequest Desired(string group, ScheduleSpec schedule, string functionArn, string roleArn)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new UpdateScheduleRequest
        {
            Name = schedule.Name,
            GroupName = group,
            ScheduleExpression = schedule.Expression,
            ScheduleExpressionTimezone = schedule.Timezone ?? DefaultTimezone,
            State = schedule.Enabled == false ? "DISABLED" : "ENABLED",
            FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
            Target = new Target { Arn = functionArn, RoleArn = roleArn, Input = Input(schedule.Name) },
            Description = $"OpenKBS schedule {schedule.Name} -> {schedule.Function}",
        };
    }

    /// <summary>The event the function receives: which schedule fired.</summary>
    public static string Input(string schedule) => new JsonObject { ["source"] = "openkbs.schedule", ["schedule"] = schedule }.ToJsonString();

    public static CreateScheduleRequest Create(UpdateScheduleRequest desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return new CreateScheduleRequest
        {
            Name = desired.Name,
            GroupName = desired.GroupName,
            ScheduleExpression = desired.ScheduleExpression,
            ScheduleExpressionTimezone = desired.ScheduleExpressionTimezone,
            State = desired.State,
            FlexibleTimeWindow = desired.FlexibleTimeWindow,
            Target = desired.Target,
            Description = desired.Description,
        };
    }
}
