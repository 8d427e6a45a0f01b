using OpenKbs.Sandbox.Aws.Chaos;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

public sealed class FaultPlannerTests
{
    private static readonly AwsRequestInfo CreateAccount = new("organizations", "CreateAccount", AwsProtocol.Json, "us-east-1", "AKID");
    private static readonly AwsRequestInfo GetFunction = new("lambda", "GetFunction", AwsProtocol.RestJson, "eu-central-1", "AKID");

    private static List<AwsFaultKind?> Sequence(string spec, AwsRequestInfo request, int calls)
    {
        var planner = new FaultPlanner(AwsChaosSpec.Parse(spec));
        return Enumerable.Range(0, calls).Select(_ => planner.Decide(request).Kind).ToList();
    }

    [Fact]
    public void The_same_seed_gives_the_same_fault_sequence()
    {
        const string spec = "throttle=0.2,error=0.1,reset=0.05,timeout=0.05,seed=42";

        Assert.Equal(Sequence(spec, CreateAccount, 500), Sequence(spec, CreateAccount, 500));
    }

    [Fact]
    public void Another_seed_gives_another_sequence()
    {
        Assert.NotEqual(
            Sequence("throttle=0.2,error=0.1,seed=1", CreateAccount, 200),
            Sequence("throttle=0.2,error=0.1,seed=2", CreateAccount, 200));
    }

    [Fact]
    public void An_operation_sees_the_same_faults_however_other_operations_interleave()
    {
        const string spec = "throttle=0.3,error=0.1,seed=7";
        var alone = Sequence(spec, CreateAccount, 100);

        var planner = new FaultPlanner(AwsChaosSpec.Parse(spec));
        var interleaved = new List<AwsFaultKind?>();
        for (var i = 0; i < 100; i++)
        {
            for (var j = 0; j < i % 3; j++)
            {
                planner.Decide(GetFunction);
            }

            interleaved.Add(planner.Decide(CreateAccount).Kind);
        }

        Assert.Equal(alone, interleaved);
    }

    [Fact]
    public void Rates_are_honoured_over_many_calls()
    {
        var kinds = Sequence("throttle=0.2,error=0.1,reset=0.05,timeout=0.05,seed=3", CreateAccount, 20_000);

        double Share(Func<AwsFaultKind?, bool> match) => kinds.Count(match) / 20_000.0;
        Assert.InRange(Share(k => k == AwsFaultKind.Throttle), 0.18, 0.22);
        Assert.InRange(Share(k => k is AwsFaultKind.InternalError or AwsFaultKind.ServiceUnavailable), 0.085, 0.115);
        Assert.InRange(Share(k => k == AwsFaultKind.InternalError), 0.04, 0.06);
        Assert.InRange(Share(k => k == AwsFaultKind.ConnectionReset), 0.04, 0.06);
        Assert.InRange(Share(k => k == AwsFaultKind.Timeout), 0.04, 0.06);
        Assert.InRange(Share(k => k is null), 0.58, 0.62);
    }

    [Fact]
    public void Filters_limit_faults_to_the_chosen_services_and_operations()
    {
        Assert.All(Sequence("throttle=1,services=lambda", CreateAccount, 50), k => Assert.Null(k));
        Assert.All(Sequence("throttle=1,services=lambda", GetFunction, 50), k => Assert.Equal(AwsFaultKind.Throttle, k));
        Assert.All(Sequence("throttle=1,operations=CreateAccount", GetFunction, 50), k => Assert.Null(k));
        Assert.All(Sequence("throttle=1,operations=CreateAccount", CreateAccount, 50), k => Assert.Equal(AwsFaultKind.Throttle, k));
    }

    [Fact]
    public void Scripted_faults_come_first_and_only_for_their_match()
    {
        var planner = new FaultPlanner(AwsChaosSpec.None);
        planner.Script(AwsFaultKind.InternalError, "lambda", "GetFunction", count: 2, afterBackend: true);

        Assert.Null(planner.Decide(CreateAccount).Kind);
        var first = planner.Decide(GetFunction);
        Assert.Equal(AwsFaultKind.InternalError, first.Kind);
        Assert.True(first.AfterBackend);
        Assert.True(first.Scripted);
        Assert.Equal(AwsFaultKind.InternalError, planner.Decide(GetFunction).Kind);
        Assert.Null(planner.Decide(GetFunction).Kind);
    }

    [Fact]
    public void A_latency_range_is_drawn_inside_its_bounds_and_repeatably()
    {
        var spec = AwsChaosSpec.Parse("latency=10ms..30ms,seed=9");
        var first = new FaultPlanner(spec);
        var second = new FaultPlanner(spec);
        for (var i = 0; i < 100; i++)
        {
            var latency = first.Decide(GetFunction).Latency;
            Assert.InRange(latency, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30));
            Assert.Equal(latency, second.Decide(GetFunction).Latency);
        }
    }
}
