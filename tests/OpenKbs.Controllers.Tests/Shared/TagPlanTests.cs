using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Tests.Shared;

public sealed class TagPlanTests
{
    /// <summary>current, desired, previously applied spec keys, expected set, expected removed.</summary>
    public static TheoryData<string, string, string, string[], string, string[]> Cases => new()
    {
        { "in sync", "a=1,b=2", "a=1,b=2", ["a"], "", [] },
        { "missing and changed", "a=1,b=9", "a=1,b=2,c=3", [], "b=2,c=3", [] },
        { "a spec key left the spec", "a=1,old=x", "a=1", ["a", "old"], "", ["old"] },
        { "a foreign tag stays", "a=1,team=payments", "a=1", ["a"], "", [] },
        { "a key we never applied is not removed", "a=1,other=x", "a=1", [], "", [] },
        { "a previously applied key already gone", "a=1", "a=1", ["gone"], "", [] },
        { "released is cleared", "a=1,openkbs.com/released=2026-01-01T00:00:00Z", "a=1", [], "", ["openkbs.com/released"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sets_what_differs_and_removes_only_what_we_applied_before(string _, string current, string desired, string[] previous, string set, string[] removed)
    {
        var plan = TagPlan.Compute(Parse(current), Parse(desired), previous, ["openkbs.com/released"]);

        Assert.Equal(Parse(set), plan.ToSet);
        Assert.Equal(removed, plan.ToRemove);
        Assert.Equal(set.Length == 0 && removed.Length == 0, plan.IsEmpty);
    }

    private static Dictionary<string, string> Parse(string tags) => tags.Length == 0
        ? []
        : tags.Split(',').Select(t => t.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
