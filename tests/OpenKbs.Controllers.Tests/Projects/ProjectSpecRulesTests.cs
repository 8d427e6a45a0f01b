using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Schedules;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class ProjectSpecRulesTests
{
    public static TheoryData<string, Func<ProjectSpec, ProjectSpec>, string> Refused => new()
    {
        { "21 functions", s => s with { Functions = ProjectFixtures.Functions(21) }, "spec.functions: Too many: 21: must have at most 20 items" },
        { "duplicate function names", s => s with { Functions = [.. ProjectFixtures.Functions(2), new FunctionSpec { Name = "api", Handler = "x.y" }] }, "spec.functions[name=\"api\"]: Duplicate value" },
        { "database retention 36", s => s with { Database = new DatabaseSpec { Enabled = true, BackupRetentionDays = 36 } }, "spec.database.backupRetentionDays: Invalid value: 36: must be between 1 and 35" },
        { "schedule naming an unknown function", s => s with { Schedules = [new ScheduleSpec { Name = "n", Expression = "rate(1 hour)", Function = "nope" }] }, "spec.schedules[name=\"n\"].function: Not found: \"nope\"" },
        { "invalid cron (five fields)", s => s with { Schedules = [new ScheduleSpec { Name = "n", Expression = "cron(0 8 * * ?)", Function = "api" }] }, "a cron expression has six fields" },
        { "invalid cron (no ?)", s => s with { Schedules = [new ScheduleSpec { Name = "n", Expression = "cron(0 8 * * * *)", Function = "api" }] }, "exactly one of day-of-month and day-of-week must be '?'" },
        { "invalid cron (hour 25)", s => s with { Schedules = [new ScheduleSpec { Name = "n", Expression = "cron(0 25 * * ? *)", Function = "api" }] }, "the hours field '25' must hold values from 0 to 23" },
        { "rate with the wrong unit", s => s with { Schedules = [new ScheduleSpec { Name = "n", Expression = "rate(5 minute)", Function = "api" }] }, "singular unit for 1" },
        { "artifact from another bucket", s => s with { Source = s.Source! with { S3 = new S3Location { Bucket = "someone-elses", Key = "x.zip" } } }, "the operator reads artifacts only from the platform bucket \"openkbs-artifacts\"" },
        { "functions without source", s => s with { Source = null }, "spec.source: Required value" },
        { "reserved environment variable", s => s with { Functions = [new FunctionSpec { Name = "api", Handler = "a.b", Environment = new Dictionary<string, string> { ["OPENKBS_API_KEYS"] = "x" } }] }, "\"OPENKBS_API_KEYS\": the name is reserved" },
        { "environment too large", s => s with { Functions = [new FunctionSpec { Name = "api", Handler = "a.b", Environment = new Dictionary<string, string> { ["BIG"] = new string('x', 2000) } }] }, "Too long: 2003 bytes" },
        { "duplicate API keys", s => s with { ApiKeys = [new ApiKeySpec { Name = "k", Permissions = ["*"] }, new ApiKeySpec { Name = "k", Permissions = ["*"] }] }, "spec.apiKeys[name=\"k\"]: Duplicate value" },
        { "price class 200 (past admission)", s => s with { Cdn = new CdnSpec { Enabled = true, PriceClass = CdnPriceClasses.PriceClass200 } }, "spec.cdn.priceClass: Unsupported value: \"PriceClass_200\": supported values: \"PriceClass_100\"" },
        { "price class All (past admission)", s => s with { Cdn = new CdnSpec { Enabled = true, PriceClass = CdnPriceClasses.PriceClassAll } }, "spec.cdn.priceClass: Unsupported value: \"PriceClass_All\"" },
        { "retention 0", s => s with { Storage = new StorageSpec { NoncurrentVersionRetentionDays = 0 } }, "spec.storage.noncurrentVersionRetentionDays: Invalid value: 0" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_input_is_refused_with_a_precise_message(string what, Func<ProjectSpec, ProjectSpec> change, string fragment)
    {
        var violation = ProjectSpecRules.Check(change(ProjectFixtures.Spec()), ProjectFixtures.PlatformBucket);

        Assert.True(violation is not null, what);
        Assert.Equal(ConditionReasons.TerminalInvalidSpec, violation.Reason);
        Assert.Contains(fragment, violation.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing was created or changed", violation.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> GoodExpressions => new()
    {
        "rate(1 hour)", "rate(5 minutes)", "rate(1 day)", "cron(0 2 * * ? *)", "cron(0 8 ? * MON-FRI *)", "cron(0/15 * * * ? *)",
        "cron(0 18 L * ? *)", "cron(30 9 ? * 2#1 *)", "at(2026-12-24T18:00:00)",
    };

    [Theory]
    [MemberData(nameof(GoodExpressions))]
    public void Valid_schedule_expressions_pass(string expression) => Assert.Null(ScheduleExpressions.Check(expression));

    [Fact]
    public void The_example_spec_passes() => Assert.Null(ProjectSpecRules.Check(ProjectFixtures.Spec(), ProjectFixtures.PlatformBucket));

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-2")]
    [InlineData("eu-central-2")]
    [InlineData("eu-west-1")]
    public void Regions_outside_the_allowed_EU_regions_are_refused(string region)
    {
        var violation = ProjectSpecRules.CheckRegion(region, ["eu-central-1"]);

        Assert.NotNull(violation);
        Assert.Equal(ConditionReasons.TerminalRegionNotAllowed, violation.Reason);
        Assert.Contains($"'{region}'", violation.Message, StringComparison.Ordinal);
    }
}
