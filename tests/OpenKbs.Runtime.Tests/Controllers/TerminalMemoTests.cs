using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Controllers;

namespace OpenKbs.Runtime.Tests.Controllers;

public sealed class TerminalMemoTests
{
    private static readonly ObjectKey Key = new("ns", "w");
    private static readonly ObjectSummary Seen = new() { Key = Key, Uid = "u1", ResourceVersion = "10", Generation = 3, ReconcileRequestedAt = "t1" };

    private static readonly Dictionary<string, (ObjectSummary Current, ReconcileTrigger Trigger, bool Skip)> Table = new()
    {
        ["status write / label edit / resync of an unchanged object"] = (Seen with { ResourceVersion = "11" }, ReconcileTrigger.MetadataChanged, true),
        ["scheduled pass of an unchanged object"] = (Seen, ReconcileTrigger.Scheduled, true),
        ["spec changed"] = (Seen with { Generation = 4 }, ReconcileTrigger.SpecChanged, false),
        ["reconcile requested with a new token"] = (Seen with { ReconcileRequestedAt = "t2" }, ReconcileTrigger.ReconcileRequested, false),
        ["token removed"] = (Seen with { ReconcileRequestedAt = null }, ReconcileTrigger.MetadataChanged, false),
        ["slow re-check fired"] = (Seen, ReconcileTrigger.TerminalRecheck, false),
        ["a related object changed"] = (Seen, ReconcileTrigger.Related, false),
        ["being deleted"] = (Seen with { IsDeleting = true }, ReconcileTrigger.Deleting, false),
        ["re-created under the same name"] = (Seen with { Uid = "u2" }, ReconcileTrigger.Added, false),
        ["new leader looks at everything once"] = (Seen, ReconcileTrigger.Startup, false),
    };

    public static TheoryData<string> Cases => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_terminal_object_is_only_retried_when_a_human_visible_input_changed(string because)
    {
        var (current, trigger, skip) = Table[because];
        var memo = new TerminalMemo();
        memo.Remember(Key, Seen);

        Assert.True(skip == memo.ShouldSkip(Key, current, trigger), because);
    }

    [Fact]
    public void Objects_without_a_terminal_mark_are_never_skipped()
    {
        var memo = new TerminalMemo();

        Assert.False(memo.ShouldSkip(Key, Seen, ReconcileTrigger.Scheduled));
    }

    [Fact]
    public void Clearing_the_mark_resumes_normal_reconciles()
    {
        var memo = new TerminalMemo();
        memo.Remember(Key, Seen);

        memo.Clear(Key);

        Assert.False(memo.ShouldSkip(Key, Seen, ReconcileTrigger.Scheduled));
        Assert.Equal(0, memo.Count);
    }
}
