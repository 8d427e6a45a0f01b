using OpenKbs.Runtime.Queue;

namespace OpenKbs.Runtime.Tests.Queue;

public sealed class ExponentialBackoffTests
{
    private static readonly ObjectKey Key = new("ns", "a");

    public static TheoryData<int, double> Delays => new()
    {
        { 1, 5 },
        { 2, 10 },
        { 3, 20 },
        { 4, 40 },
        { 10, 2_560 },
        { 16, 163_840 },
        { 17, 300_000 }, // 327,680 ms would exceed the 5 minute cap
        { 80, 300_000 },
    };

    [Theory]
    [MemberData(nameof(Delays))]
    public void Nth_failure_waits_five_ms_doubled_up_to_the_cap(int failures, double expectedMs)
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5));
        var delay = TimeSpan.Zero;
        for (var i = 0; i < failures; i++)
        {
            delay = backoff.When(Key);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
        Assert.Equal(failures, backoff.NumRequeues(Key));
    }

    [Fact]
    public void Forget_starts_over_at_five_ms()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5));
        backoff.When(Key);
        backoff.When(Key);
        backoff.When(Key);

        backoff.Forget(Key);

        Assert.Equal(0, backoff.NumRequeues(Key));
        Assert.Equal(TimeSpan.FromMilliseconds(5), backoff.When(Key));
    }

    [Fact]
    public void Keys_back_off_independently()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));
        backoff.When(Key);
        backoff.When(Key);

        Assert.Equal(TimeSpan.FromMilliseconds(5), backoff.When(new ObjectKey("ns", "b")));
        Assert.Equal(TimeSpan.FromMilliseconds(20), backoff.When(Key));
    }

    [Fact]
    public void A_configured_cap_is_respected()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(30));
        var delays = Enumerable.Range(0, 6).Select(_ => backoff.When(Key).TotalMilliseconds).ToArray();

        Assert.Equal([5, 10, 20, 30, 30, 30], delays);
    }
}
