using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The schedules step against moto: group, scheduler role scoped to the scheduled functions, drift, removal, deletion.</summary>
[Collection(MotoCollection.Name)]
public sealed class SchedulesStepTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly IList<ScheduleSpec> Two =
    [
        new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "api" },
        new ScheduleSpec { Name = "often", Expression = "rate(5 minutes)", Function = "fn1", Enabled = false },
    ];

    private static void Functions(ProjectContext context)
    {
        context.Facts.Add(new FunctionFacts(
            new[] { "api", "fn1" }.ToDictionary(n => n, n => $"arn:aws:lambda:eu-central-1:123456789012:function:{context.Names.Function(n)}"),
            Converged: true));
    }

    [Fact]
    public async Task Schedules_invoke_the_named_functions_through_a_role_scoped_to_them_and_drift_is_put_back()
    {
        var project = ProjectFixtures.Project("shop", s => s with { Schedules = Two });
        using var host = new ProjectStepHarness(moto, project, chaos: null);
        var step = ProjectStepHarness.Step<SchedulesStep>(l => new SchedulesStep(l));
        var names = ProjectNames.For("tenants", "shop", project.Metadata.Uid!);

        Assert.True((await host.ConvergeAsync(step, Functions)).Outcome.IsReady);

        var nightly = await host.Member.Scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "nightly", GroupName = names.ScheduleGroup });
        Assert.Equal(("cron(0 2 * * ? *)", "Europe/Berlin", "ENABLED", $"arn:aws:lambda:eu-central-1:123456789012:function:{names.Function("api")}"),
            (nightly.ScheduleExpression, nightly.ScheduleExpressionTimezone, nightly.State, nightly.Target!.Arn));
        var often = await host.Member.Scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "often", GroupName = names.ScheduleGroup });
        Assert.Equal(("UTC", "DISABLED"), (often.ScheduleExpressionTimezone, often.State));
        var policy = (await host.Member.Iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = names.SchedulerRole, PolicyName = ScheduleRendering.RolePolicyName })).PolicyDocument;
        Assert.True(PolicyDocuments.Equivalent(policy, ScheduleRendering.RolePolicy([nightly.Target.Arn!, often.Target!.Arn!])));
        Assert.Equal(["nightly", "often"], host.Project.Status!.Schedules!.Select(s => s.Name));

        var audited = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(Functions), CancellationToken.None)).IsReady);
        Assert.Equal(audited, host.Audit.Records.Count);

        await host.Member.Scheduler.UpdateScheduleAsync(ScheduleRendering.Desired(names.ScheduleGroup, Two[0] with { Expression = "rate(1 day)" }, nightly.Target.Arn!, nightly.Target.RoleArn!));
        Assert.True((await step.RunAsync(host.Context(Functions), CancellationToken.None)).IsReady);
        Assert.Equal("cron(0 2 * * ? *)", (await host.Member.Scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "nightly", GroupName = names.ScheduleGroup })).ScheduleExpression);
        Assert.Contains(host.Events, e => e.Contains(ScheduleDelta.Expression, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_schedule_removed_from_the_spec_is_deleted_and_Delete_removes_group_and_role()
    {
        var project = ProjectFixtures.Project("shop", s => s with { Schedules = Two });
        using var host = new ProjectStepHarness(moto, project, chaos: null);
        var step = ProjectStepHarness.Step<SchedulesStep>(l => new SchedulesStep(l));
        var names = ProjectNames.For("tenants", "shop", project.Metadata.Uid!);
        Assert.True((await host.ConvergeAsync(step, Functions)).Outcome.IsReady);

        project.Spec = project.Spec with { Schedules = [Two[0]] };
        Assert.True((await host.ConvergeAsync(step, Functions)).Outcome.IsReady);
        Assert.Equal(["nightly"], (await host.Member.Scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = names.ScheduleGroup })).Schedules.Select(s => s.Name));

        Assert.True((await host.FinalizeAsync(step, ProjectDeletionPolicy.Delete)).Outcome.IsReady);
        Assert.True((await Assert.ThrowsAsync<AwsServiceException>(() => host.Member.Scheduler.GetScheduleGroupAsync(new GetScheduleGroupRequest { Name = names.ScheduleGroup }))).IsNotFound);
        Assert.True((await Assert.ThrowsAsync<AwsServiceException>(() => host.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = names.SchedulerRole }))).IsNotFound);
    }

    [Fact]
    public async Task Schedules_wait_for_their_functions()
    {
        using var host = new ProjectStepHarness(moto, ProjectFixtures.Project("shop", s => s with { Schedules = Two }), chaos: null);
        var outcome = await ProjectStepHarness.Step<SchedulesStep>(l => new SchedulesStep(l)).RunAsync(host.Context(), CancellationToken.None);
        Assert.Equal((ProjectReasons.WaitingForDependency, nameof(ProjectWaits.WaitForLambda)), (outcome.Reason, outcome.WaitName));
        Assert.Empty(host.Log.Operations);
    }
}
