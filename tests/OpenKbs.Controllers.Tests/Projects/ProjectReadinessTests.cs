using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class ProjectReadinessTests
{
    private sealed class FakeStep(string name, string? condition) : IProjectStep
    {
        public string Name => name;

        public string? ConditionType => condition;

        public Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static readonly FakeStep Storage = new("storage", ConditionTypes.StorageReady);
    private static readonly FakeStep Role = new("execution-role", null);
    private static readonly FakeStep Usage = new("usage", null);
    private static readonly FakeStep Database = new("database", ConditionTypes.DatabaseReady);
    private static readonly IReadOnlyList<IProjectStep> Steps = [Storage, Database, Role, Usage];
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    // Outcomes per step (storage, database, execution-role, usage): R ready, D disabled, P progressing, C creating.
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "all ready or disabled", "RDRR", ConditionStatus.True, ConditionReasons.Available },
        { "a progressing database blocks", "RCRR", ConditionStatus.False, ConditionReasons.Creating },
        { "a condition-less step progressing blocks", "RDPR", ConditionStatus.False, ConditionReasons.WaitingForAws },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ready_needs_every_step_ready(string what, string outcomes, string ready, string reason)
    {
        var project = ProjectFixtures.Project("shop", s => s with { Functions = [], Source = null });
        var pass = new PassRecord<ProjectContext>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            pass.Runs.Add(new StepRun<ProjectContext>(Steps[i], outcomes[i] switch
            {
                'R' => StepOutcome.Ready("ok"),
                'D' => StepOutcome.Disabled("off"),
                'P' => StepOutcome.Progressing(ConditionReasons.WaitingForAws, "iam", Wait, "WaitForIamPropagation"),
                _ => StepOutcome.Progressing(ConditionReasons.Creating, "cluster creating", Wait, "WaitForDatabase"),
            }));
        }

        ProjectReadiness.Conclude(project, Steps, pass, null, Recipe.Combine(pass.Runs), TimeProvider.System, (_, _, _) => { });

        var condition = Conditions.Find(project.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.True(ready == condition.Status, $"{what}: {condition.Status} {condition.Reason} {condition.Message}");
        Assert.Equal(reason, condition.Reason);
    }

    [Fact]
    public void Component_conditions_follow_the_outcomes_and_unreached_steps_are_unknown()
    {
        var project = ProjectFixtures.Project("shop");
        var pass = new PassRecord<ProjectContext>();
        pass.Runs.Add(new StepRun<ProjectContext>(Storage, StepOutcome.Terminal(ConditionReasons.TerminalAwsError, "refused")));

        var result = Recipe.Combine(pass.Runs);
        ProjectReadiness.Conclude(project, Steps, pass, null, result, TimeProvider.System, (_, _, _) => { });

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        var conditions = project.Status!.Conditions;
        Assert.Equal(ConditionStatus.False, Conditions.Find(conditions, ConditionTypes.StorageReady)!.Status);
        Assert.Equal(ConditionStatus.Unknown, Conditions.Find(conditions, ConditionTypes.DatabaseReady)!.Status);
        Assert.Equal(ConditionReasons.TerminalAwsError, Conditions.Find(conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal(ConditionStatus.False, Conditions.Find(conditions, ConditionTypes.Synced)!.Status);
    }

    [Fact]
    public void Unreached_steps_describe_the_current_pass_not_an_earlier_wait_for_the_account()
    {
        var project = ProjectFixtures.Project("shop");
        var waiting = new PassRecord<ProjectContext>
        {
            Blocker = (ProjectRecipe.AccountGate, StepOutcome.Progressing(ConditionReasons.WaitingForAccount, "ClientAccount 'fabrik' is not Ready yet", Wait, "WaitForAccount")),
        };
        ProjectReadiness.Conclude(project, Steps, waiting, null, waiting.Blocker.Value.Outcome.ToResult(), TimeProvider.System, (_, _, _) => { });
        Assert.Contains("blocked by clientaccount", Conditions.Find(project.Status!.Conditions, ConditionTypes.DatabaseReady)!.Message, StringComparison.Ordinal);

        // The account is Ready now; storage fails terminally: database was not reached because of storage, not the account.
        var failed = new PassRecord<ProjectContext>();
        failed.Runs.Add(new StepRun<ProjectContext>(Storage, StepOutcome.Terminal(ConditionReasons.TerminalAwsError, "s3:HeadObject was refused with Forbidden")));
        ProjectReadiness.Conclude(project, Steps, failed, null, Recipe.Combine(failed.Runs), TimeProvider.System, (_, _, _) => { });

        var database = Conditions.Find(project.Status.Conditions, ConditionTypes.DatabaseReady)!;
        Assert.Equal(ConditionStatus.Unknown, database.Status);
        Assert.Equal(PassConditions.NotReached, database.Reason);
        Assert.Equal("not reached: blocked by storage (TerminalAwsError)", database.Message);
        Assert.DoesNotContain(project.Status.Conditions, c => c.Message.Contains("is not Ready yet", StringComparison.Ordinal));
    }

    [Fact]
    public void A_transient_failure_keeps_Ready_and_the_component_conditions()
    {
        var project = ProjectFixtures.Project("shop", s => s with { Functions = [], Source = null });
        var first = new PassRecord<ProjectContext>();
        foreach (var step in Steps)
        {
            first.Runs.Add(new StepRun<ProjectContext>(step, StepOutcome.Ready("ok")));
        }

        ProjectReadiness.Conclude(project, Steps, first, null, ReconcileResult.Done(), TimeProvider.System, (_, _, _) => { });
        Assert.True(Conditions.IsTrue(project.Status!.Conditions, ConditionTypes.Ready));

        var second = new PassRecord<ProjectContext>();
        second.Runs.Add(new StepRun<ProjectContext>(Storage, StepOutcome.Transient("throttled")));
        var result = Recipe.Combine(second.Runs);
        ProjectReadiness.Conclude(project, Steps, second, null, result, TimeProvider.System, (_, _, _) => { });

        Assert.Equal(ReconcileOutcome.Transient, result.Outcome);
        Assert.True(Conditions.IsTrue(project.Status.Conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(project.Status.Conditions, ConditionTypes.StorageReady));
        Assert.True(Conditions.IsFalse(project.Status.Conditions, ConditionTypes.Synced));
    }

    [Fact]
    public void The_shortest_named_wait_wins()
    {
        List<StepRun<ProjectContext>> runs =
        [
            new(Storage, StepOutcome.Progressing(ConditionReasons.Creating, "db", TimeSpan.FromSeconds(30), "WaitForDatabase")),
            new(Role, StepOutcome.Progressing(ConditionReasons.WaitingForAws, "lambda", TimeSpan.FromSeconds(5), "WaitForLambda")),
        ];

        var result = Recipe.Combine(runs);

        Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Delay);
        Assert.Equal("WaitForLambda", result.Reason);
    }

    [Fact]
    public void A_project_without_functions_records_its_version_when_ready()
    {
        var project = ProjectFixtures.Project("shop", s => s with { Functions = [], Source = null, Version = "2.0.0" });
        var pass = new PassRecord<ProjectContext>();
        foreach (var step in Steps)
        {
            pass.Runs.Add(new StepRun<ProjectContext>(step, StepOutcome.Ready("ok")));
        }

        var events = new List<string>();
        ProjectReadiness.Conclude(project, Steps, pass, null, ReconcileResult.Done(), TimeProvider.System, (_, reason, _) => events.Add(reason));

        Assert.Equal("2.0.0", project.Status!.DeployedVersion);
        Assert.Equal([ProjectReasons.Deployed], events);
    }

    [Fact]
    public void The_account_is_resolved_in_the_same_namespace_only_and_must_be_Ready()
    {
        var options = new ProjectOptions();
        var elsewhere = ProjectFixtures.ReadyAccount("acme", "111111111111", @namespace: "other-tenant");
        var resolver = new AccountResolver(new ListCache(elsewhere), options);
        var project = ProjectFixtures.Project("shop");

        var missing = resolver.Resolve(project);
        Assert.Equal(ConditionReasons.WaitingForAccount, missing.Stop!.Reason);
        Assert.Contains("does not exist in namespace 'tenants'", missing.Stop.Message, StringComparison.Ordinal);

        var notReady = ProjectFixtures.ReadyAccount("acme", "222222222222");
        notReady.Status!.Conditions.Clear();
        var waiting = new AccountResolver(new ListCache(elsewhere, notReady), options).Resolve(project);
        Assert.Equal(ConditionReasons.WaitingForAccount, waiting.Stop!.Reason);
        Assert.Equal(StepOutcomeKind.Progressing, waiting.Stop.Kind);

        var ready = new AccountResolver(new ListCache(elsewhere, ProjectFixtures.ReadyAccount("acme", "222222222222")), options).Resolve(project);
        Assert.Equal("222222222222", ready.Account!.Status!.AccountId);

        project.Status = new ProjectStatus { AccountId = "333333333333" };
        var moved = new AccountResolver(new ListCache(ProjectFixtures.ReadyAccount("acme", "222222222222")), options).Resolve(project);
        Assert.Equal(ConditionReasons.TerminalOwnershipConflict, moved.Stop!.Reason);
    }
}
