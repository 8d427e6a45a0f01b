using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Scheduler;

[Collection(MotoCollection.Name)]
public sealed class SchedulerClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const string FunctionArn = "arn:aws:lambda:eu-central-1:123456789012:function:shop-api";
    private const string RoleArn = "arn:aws:iam::123456789012:role/shop-scheduler";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string?> Expressions => new()
    {
        { "rate(5 minutes)", null },
        { "cron(0 8 ? * MON-FRI *)", "Europe/Berlin" },
        { "at(2027-01-15T09:30:00)", "Europe/Paris" },
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task Rate_cron_and_at_schedules_round_trip_with_their_time_zone(string expression, string? timezone)
    {
        using var host = new AwsTestHost(moto);
        var scheduler = Members.In(host).Scheduler;
        await scheduler.CreateScheduleGroupAsync(new CreateScheduleGroupRequest { Name = "shop" });
        await scheduler.CreateScheduleAsync(Schedule("nightly", expression, timezone));
        var got = await scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "nightly", GroupName = "shop" });
        Assert.Equal(expression, got.ScheduleExpression);
        Assert.Equal(timezone ?? "UTC", got.ScheduleExpressionTimezone); // UTC when none is given
        Assert.Equal("OFF", got.FlexibleTimeWindow!.Mode);
        Assert.Equal(FunctionArn, got.Target!.Arn);
        Assert.Equal("""{"job":"nightly"}""", got.Target.Input);
    }

    [Fact]
    public async Task Every_schedule_operation_works_against_moto()
    {
        using var host = new AwsTestHost(moto);
        var scheduler = Members.In(host).Scheduler;

        var group = await scheduler.CreateScheduleGroupAsync(new CreateScheduleGroupRequest
        {
            Name = "shop",
            Tags = [new Tag { Key = "openkbs.com/managed-by", Value = "openkbs" }],
        });
        Assert.Equal("arn:aws:scheduler:eu-central-1:123456789012:schedule-group/shop", group.ScheduleGroupArn);
        Assert.Equal("ACTIVE", (await scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = "shop" })).State);

        var created = await scheduler.CreateScheduleAsync(Schedule("nightly", "cron(0 2 * * ? *)", "Europe/Berlin"));
        Assert.Equal("arn:aws:scheduler:eu-central-1:123456789012:schedule/shop/nightly", created.ScheduleArn);
        var duplicate = await Assert.ThrowsAsync<AwsServiceException>(() => scheduler.CreateScheduleAsync(Schedule("nightly", "rate(1 hour)", null)));
        Assert.Equal("ConflictException", duplicate.ErrorCode);
        Assert.True(duplicate.IsConflict); // moto answers 400, AWS 409: the code decides

        await scheduler.CreateScheduleAsync(Schedule("hourly", "rate(1 hour)", null));
        await scheduler.UpdateScheduleAsync(new UpdateScheduleRequest
        {
            Name = "hourly",
            GroupName = "shop",
            ScheduleExpression = "rate(2 hours)",
            FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
            Target = new Target { Arn = FunctionArn, RoleArn = RoleArn, Input = "{}" },
            State = "DISABLED",
        });
        var updated = await scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "hourly", GroupName = "shop" });
        Assert.Equal("rate(2 hours)", updated.ScheduleExpression);
        Assert.Equal("DISABLED", updated.State);

        var listed = await scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = "shop", MaxResults = 1 });
        Assert.Equal(["hourly", "nightly"], listed.Schedules.Select(s => s.Name).Order(StringComparer.Ordinal));

        await scheduler.TagResourceAsync(new TagResourceRequest { ResourceArn = group.ScheduleGroupArn!, Tags = [new Tag { Key = "team", Value = "a" }] });
        await scheduler.UntagResourceAsync(new UntagResourceRequest { ResourceArn = group.ScheduleGroupArn!, TagKeys = ["openkbs.com/managed-by"] });
        var tags = await scheduler.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = group.ScheduleGroupArn! });
        Assert.Equal(["team"], tags.Tags.Select(t => t.Key));

        await scheduler.DeleteScheduleAsync(new DeleteScheduleRequest { Name = "hourly", GroupName = "shop" });
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "hourly", GroupName = "shop" }));
        Assert.Equal("ResourceNotFoundException", gone.ErrorCode);
        Assert.True(gone.IsNotFound);

        await scheduler.DeleteScheduleGroupAsync(new DeleteScheduleGroupRequest { Name = "shop" });
        await Assert.ThrowsAsync<AwsServiceException>(() => scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = "shop" }));

        var records = host.Audit.Records.Where(r => r.Action.StartsWith("scheduler:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["scheduler:CreateScheduleGroup", "scheduler:CreateSchedule", "scheduler:CreateSchedule", "scheduler:CreateSchedule", "scheduler:UpdateSchedule",
             "scheduler:TagResource", "scheduler:UntagResource", "scheduler:DeleteSchedule", "scheduler:DeleteScheduleGroup"],
            records.Select(r => r.Action));
        Assert.Equal(created.ScheduleArn, records[1].Resource);
        Assert.Equal(AuditOutcome.Failure, records[2].Outcome);
        Assert.Equal("cron(0 2 * * ? *)", records[1].Details["ScheduleExpression"]);
        Assert.StartsWith("sha256:", records[1].Details["Input"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wire_matches_the_AWS_SDK_for_JavaScript()
    {
        using var host = new AwsTestHost(moto);
        var scheduler = Members.In(host).Scheduler;
        await scheduler.CreateScheduleGroupAsync(new CreateScheduleGroupRequest { Name = "ours", Tags = [new Tag { Key = "k", Value = "v" }], ClientToken = "t1" });
        await scheduler.CreateScheduleAsync(Schedule("s1", "cron(0 8 ? * MON-FRI *)", "Europe/Berlin", group: "ours") with { ClientToken = "t2" });
        await scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "s1", GroupName = "ours" });
        await scheduler.UpdateScheduleAsync(new UpdateScheduleRequest
        {
            Name = "s1", GroupName = "ours", ScheduleExpression = "rate(5 minutes)", FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
            Target = new Target { Arn = FunctionArn, RoleArn = RoleArn }, ClientToken = "t3",
        });
        await scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = "ours" });
        await scheduler.DeleteScheduleAsync(new DeleteScheduleRequest { Name = "s1", GroupName = "ours", ClientToken = "t4" });
        var ours = host.Counter.Sent.Where(s => s.Operation is not "AssumeRole").ToDictionary(s => s.Operation, s => s.Request);

        var target = new { Arn = FunctionArn, RoleArn, Input = """{"job":"nightly"}""" };
        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("scheduler", "CreateScheduleGroup", new { Name = "theirs", Tags = new[] { new { Key = "k", Value = "v" } }, ClientToken = "t1" }),
            new("scheduler", "CreateSchedule", new
            {
                Name = "s1", GroupName = "theirs", ScheduleExpression = "cron(0 8 ? * MON-FRI *)", ScheduleExpressionTimezone = "Europe/Berlin",
                FlexibleTimeWindow = new { Mode = "OFF" }, Target = target, State = "ENABLED", ClientToken = "t2",
            }),
            new("scheduler", "GetSchedule", new { Name = "s1", GroupName = "theirs" }),
            new("scheduler", "UpdateSchedule", new
            {
                Name = "s1", GroupName = "theirs", ScheduleExpression = "rate(5 minutes)", FlexibleTimeWindow = new { Mode = "OFF" },
                Target = new { Arn = FunctionArn, RoleArn }, ClientToken = "t3",
            }),
            new("scheduler", "ListSchedules", new { GroupName = "theirs" }),
            new("scheduler", "DeleteSchedule", new { Name = "s1", GroupName = "theirs", ClientToken = "t4" }),
            new("scheduler", "GetSchedule", new { Name = "s1", GroupName = "ours" }),
        ]);
        Assert.All(js.Take(6), r => r.EnsureOk());
        Assert.Equal("ResourceNotFoundException", js[6].ErrorName); // we deleted ours; the JS SDK sees it gone
        Assert.Equal("Europe/Berlin", js[2].Get("ScheduleExpressionTimezone").GetString());

        var renames = new[] { ("theirs", "ours") };
        (string Operation, int Index)[] pairs =
            [("CreateScheduleGroup", 0), ("CreateSchedule", 1), ("GetSchedule", 2), ("UpdateSchedule", 3), ("ListSchedules", 4), ("DeleteSchedule", 5)];
        foreach (var (operation, index) in pairs)
        {
            var theirs = js[index].Request!;
            WireAssert.SameRoute(theirs, ours[operation], renames);
            WireAssert.SameJson(theirs.Body.Replace("theirs", "ours", StringComparison.Ordinal), ours[operation].Body);
        }
    }

    private static CreateScheduleRequest Schedule(string name, string expression, string? timezone, string group = "shop") => new()
    {
        Name = name,
        GroupName = group,
        ScheduleExpression = expression,
        ScheduleExpressionTimezone = timezone,
        FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
        Target = new Target { Arn = FunctionArn, RoleArn = RoleArn, Input = """{"job":"nightly"}""" },
        State = "ENABLED",
    };
}
