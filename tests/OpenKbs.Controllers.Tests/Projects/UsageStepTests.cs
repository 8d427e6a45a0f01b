using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Controllers.Projects.Components.Usage;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class UsageStepTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static UsageStatus Read(DateTimeOffset at, string period = "2026-11", params string[] functions) => new()
    {
        Period = period,
        UpdatedAt = at.UtcDateTime,
        Functions = [.. (functions.Length == 0 ? ["api"] : functions).Select(f => new FunctionUsage { Name = f })],
    };

    public static TheoryData<string, UsageStatus?, bool> Refresh => new()
    {
        { "never read", null, true },
        { "read 10 minutes ago", Read(Now.AddMinutes(-10)), false },
        { "read 59 minutes ago", Read(Now.AddMinutes(-59)), false },
        { "read an hour ago", Read(Now.AddHours(-1)), true },
        { "read last month", Read(Now.AddMinutes(-5), "2026-10"), true },
        { "other functions", Read(Now.AddMinutes(-5), "2026-11", "api", "report"), true },
    };

    [Theory]
    [MemberData(nameof(Refresh))]
    public void Figures_are_refreshed_only_when_due(string name, UsageStatus? usage, bool due)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(due, UsageStep.IsDue(usage, ["api"], UsageStep.Period(Now), Now, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Figures_are_summed_per_function_with_spec_names()
    {
        var day1 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        var response = new GetMetricDataResponse
        {
            MetricDataResults =
            [
                new MetricDataResult { Id = "inv0", Timestamps = [day1, day2], Values = [10, 30], StatusCode = "Complete" },
                new MetricDataResult { Id = "err0", Timestamps = [day1], Values = [2], StatusCode = "Complete" },
                new MetricDataResult { Id = "dur0", Timestamps = [day1, day2], Values = [100, 200], StatusCode = "Complete" },
            ],
        };
        var usage = UsageStep.Summarize(["api"], ["tenants-shop-12345678-api"], response, "2026-11", Now);
        var api = Assert.Single(usage.Functions!);
        Assert.Equal(("api", 40L, 2L, 175.0), (api.Name, api.Invocations, api.Errors, api.AvgDurationMs));
        Assert.Equal(("2026-11", Now.UtcDateTime), (usage.Period, usage.UpdatedAt));
    }
}
