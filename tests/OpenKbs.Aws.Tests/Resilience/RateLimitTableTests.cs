using OpenKbs.Aws.Core;
using OpenKbs.Aws.Resilience;

namespace OpenKbs.Aws.Tests.Resilience;

public sealed class RateLimitTableTests
{
    [Fact]
    public void Every_service_has_a_control_limit_with_a_source()
    {
        foreach (var service in AwsServices.All)
        {
            var limit = AwsRateLimits.Find(service.SigningName, AwsRateLimits.Control);
            Assert.NotNull(limit);
            Assert.True(limit.RequestsPerSecond > 0 && limit.Burst >= 1, service.SigningName);
            Assert.False(string.IsNullOrWhiteSpace(limit.Source));
        }
    }

    [Theory]
    [InlineData("lambda", "GetFunction", 100, 100)]
    [InlineData("lambda", "UpdateFunctionCode", 15, 15)]
    [InlineData("rds", "DescribeDBClusters", 12, 300)]
    [InlineData("organizations", "CreateAccount", 1, 5)]
    [InlineData("organizations", "ListAccounts", 5, 10)]
    public void Families_fall_back_to_the_control_row(string service, string family, double rate, int burst)
    {
        var limit = AwsRateLimits.Find(service, family)!;
        Assert.Equal(rate, limit.RequestsPerSecond);
        Assert.Equal(burst, limit.Burst);
    }

    [Fact]
    public void The_in_flight_limiter_holds_at_most_its_capacity_per_key()
    {
        var limiter = new InFlightLimiter(InFlightLimiter.CreateAccountCapacity);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.TryAcquire("o-1", $"car-{i}"));
        }

        Assert.False(limiter.TryAcquire("o-1", "car-5"));
        Assert.True(limiter.TryAcquire("o-1", "car-0")); // a holder asking again keeps its slot
        Assert.True(limiter.TryAcquire("o-2", "car-x")); // other organization
        limiter.Release("o-1", "car-0");
        Assert.True(limiter.TryAcquire("o-1", "car-5"));
        Assert.Equal(5, limiter.InFlight("o-1"));
    }

    [Fact]
    public void The_in_flight_limiter_is_restored_from_persisted_request_ids()
    {
        var limiter = new InFlightLimiter(5);
        limiter.Restore("o-1", ["car-a", "car-b", "car-c", "car-d", "car-e", "car-f"]);
        Assert.Equal(6, limiter.InFlight("o-1"));
        Assert.False(limiter.TryAcquire("o-1", "car-new"));
        limiter.Release("o-1", "car-a");
        limiter.Release("o-1", "car-b");
        Assert.True(limiter.TryAcquire("o-1", "car-new"));
    }
}
