using OpenKbs.Runtime.Controllers;

namespace OpenKbs.Runtime.Tests.Controllers;

public sealed class SchedulingPolicyTests
{
    private static readonly SchedulingPolicy Policy = new()
    {
        ResyncInterval = TimeSpan.FromMinutes(10),
        TerminalRecheckInterval = TimeSpan.FromMinutes(30),
    };

    public static TheoryData<double, double> DoneJitter => new()
    {
        { 0.0, 540 },    // -10 %
        { 0.5, 600 },    // the interval itself
        { 0.999999, 660 }, // +10 % (exclusive)
    };

    [Theory]
    [MemberData(nameof(DoneJitter))]
    public void Done_requeues_after_the_resync_interval_jittered_by_ten_percent(double random, double expectedSeconds)
    {
        var decision = Policy.Decide(ReconcileResult.Done(), random);

        Assert.Equal(ScheduleKind.After, decision.Kind);
        Assert.Equal(ReconcileTrigger.Scheduled, decision.Trigger);
        Assert.Equal(expectedSeconds, decision.Delay!.Value.TotalSeconds, precision: 2);
    }

    [Fact]
    public void Done_jitter_always_stays_within_ten_percent()
    {
        var random = new Random(42);
        for (var i = 0; i < 1_000; i++)
        {
            var delay = Policy.Decide(ReconcileResult.Done(), random.NextDouble()).Delay!.Value;
            Assert.InRange(delay, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        }
    }

    [Fact]
    public void RequeueAfter_uses_the_named_wait_exactly()
    {
        var decision = Policy.Decide(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30), "WaitWhileAccountCreating"), 0.9);

        Assert.Equal(new ScheduleDecision(ScheduleKind.After, TimeSpan.FromSeconds(30), ReconcileTrigger.Scheduled), decision);
    }

    [Fact]
    public void Terminal_is_rechecked_only_on_the_slow_timer()
    {
        var decision = Policy.Decide(ReconcileResult.Terminal("InvalidSpec", "email is malformed"), 0.5);

        Assert.Equal(new ScheduleDecision(ScheduleKind.After, TimeSpan.FromMinutes(30), ReconcileTrigger.TerminalRecheck), decision);
    }

    [Fact]
    public void Transient_backs_off()
    {
        var decision = Policy.Decide(ReconcileResult.Transient("Throttled", new TimeoutException()), 0.5);

        Assert.Equal(new ScheduleDecision(ScheduleKind.Backoff, null, ReconcileTrigger.Retry), decision);
    }

    [Fact]
    public void Outcome_factories_refuse_missing_reasons_and_negative_waits()
    {
        Assert.Throws<ArgumentException>(() => ReconcileResult.Terminal(" ", "m"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(-1), "Wait"));
        Assert.Same(ReconcileResult.Done(), ReconcileResult.Done());
        Assert.Equal("boom", ReconcileResult.Transient("Failed", new InvalidOperationException("boom")).Message);
    }
}
