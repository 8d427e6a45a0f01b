using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Tests.Kube;

public sealed class HumanDurationTests
{
    public static TheoryData<int, string, string> Durations => new()
    {
        { -5, "<invalid>", "<invalid>" },
        { 0, "0s", "0s" },
        { 59, "59s", "59s" },
        { 90, "1m", "90s" },
        { 150, "2m", "2m30s" },
        { 600, "10m", "10m" },
        { 3 * 3600 + 600, "3h", "3h10m" },
        { 30 * 3600, "1d", "30h" },
        { 50 * 3600, "2d", "2d2h" },
        { 400 * 24 * 3600, "1y", "400d" },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Prints_like_apimachinery_duration(int seconds, string shortForm, string longForm)
    {
        Assert.Equal(shortForm, HumanDuration.Short(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(longForm, HumanDuration.Long(TimeSpan.FromSeconds(seconds)));
    }
}
