using k8s.Models;

namespace OpenKbs.Runtime.Tests;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    [Fact]
    public void A_new_condition_is_added_with_the_transition_time_in_whole_seconds()
    {
        var conditions = new List<V1Condition>();

        var changed = Conditions.Set(conditions, "Ready", ConditionStatus.False, "Creating", "creating the account", 3, T0);

        Assert.True(changed);
        var ready = Assert.Single(conditions);
        Assert.Equal(("Ready", "False", "Creating", "creating the account", 3L), (ready.Type, ready.Status, ready.Reason, ready.Message, ready.ObservedGeneration!.Value));
        Assert.Equal(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc), ready.LastTransitionTime);
    }

    public static TheoryData<string, string, string, long, bool, bool> Updates => new()
    {
        // status, reason, message, generation, expect changed, expect new transition time
        { ConditionStatus.False, "Creating", "creating the account", 3, false, false },
        { ConditionStatus.False, "Waiting", "queue position 2", 3, true, false },
        { ConditionStatus.False, "Creating", "creating the account", 4, true, false },
        { ConditionStatus.True, "Available", "account ready", 4, true, true },
        { ConditionStatus.Unknown, "Creating", "creating the account", 3, true, true },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void LastTransitionTime_changes_only_when_the_status_flips(
        string status, string reason, string message, long generation, bool expectChanged, bool expectNewTransition)
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Synced", ConditionStatus.True, "Synced", "ok", 1, T0);
        Conditions.Set(conditions, "Ready", ConditionStatus.False, "Creating", "creating the account", 3, T0);

        var changed = Conditions.Set(conditions, "Ready", status, reason, message, generation, T1);

        Assert.Equal(expectChanged, changed);
        Assert.Equal(2, conditions.Count);
        var ready = Conditions.Find(conditions, "Ready")!;
        Assert.Equal((status, reason, message, generation), (ready.Status, ready.Reason, ready.Message, ready.ObservedGeneration!.Value));
        Assert.Equal(expectNewTransition ? T1.UtcDateTime.AddTicks(-(T1.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)) : new DateTime(2026, 3, 1, 12, 0, 0), ready.LastTransitionTime);
        Assert.Equal("Synced", conditions[0].Type);
    }

    [Fact]
    public void Queries_and_removal()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", ConditionStatus.True, "Available", string.Empty, 1, T0);
        Conditions.Set(conditions, "Terminal", ConditionStatus.False, "None", string.Empty, 1, T0);

        Assert.True(Conditions.IsTrue(conditions, "Ready"));
        Assert.True(Conditions.IsFalse(conditions, "Terminal"));
        Assert.True(Conditions.IsUnknown(conditions, "Synced"));
        Assert.False(Conditions.IsTrue(null, "Ready"));
        Assert.True(Conditions.Remove(conditions, "Terminal"));
        Assert.False(Conditions.Remove(conditions, "Terminal"));
        Assert.Null(Conditions.Find(conditions, "Terminal"));
    }
}
