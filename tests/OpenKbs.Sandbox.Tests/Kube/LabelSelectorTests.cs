using OpenKbs.Sandbox.Kube.Selectors;

namespace OpenKbs.Sandbox.Tests.Kube;

public sealed class LabelSelectorTests
{
    private static readonly KeyValuePair<string, string>[] Labels = [new("tier", "front"), new("env", "prod"), new("rank", "5")];

    public static TheoryData<string, bool> Selectors => new()
    {
        { "", true },
        { "tier=front", true },
        { "tier==front", true },
        { "tier!=front", false },
        { "tier=back", false },
        { "tier in (front, back)", true },
        { "tier notin (front)", false },
        { "tier,env", true },
        { "!tier", false },
        { "!missing", true },
        { "missing!=x", true },
        { "tier=front,env=dev", false },
        { "rank>4", true },
        { "rank<4", false },
    };

    [Theory]
    [MemberData(nameof(Selectors))]
    public void Matches_like_apimachinery_labels(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("tier in front")]
    [InlineData("bad key=x")]
    [InlineData("tier=bad value")]
    public void Rejects_malformed_selectors(string selector) =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));
}
