using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.ClientAccounts;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class CreateRequestMatcherTests
{
    private static readonly DateTimeOffset Marker = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, CreateAccountStatus[], string?> Cases => new()
    {
        { "nothing", [], null },
        { "ours in progress", [S("car-1", "ACME", "IN_PROGRESS", 5)], "car-1" },
        { "ours succeeded", [S("car-1", "ACME", "SUCCEEDED", 5)], "car-1" },
        { "failed ones are never taken", [S("car-1", "ACME", "FAILED", 5)], null },
        { "another name", [S("car-1", "Other", "IN_PROGRESS", 5)], null },
        { "long before the marker", [S("car-1", "ACME", "SUCCEEDED", -3600)], null },
        { "slightly before the marker (clock skew)", [S("car-1", "ACME", "IN_PROGRESS", -30)], "car-1" },
        { "in progress wins over succeeded", [S("car-1", "ACME", "SUCCEEDED", 5), S("car-2", "ACME", "IN_PROGRESS", 1)], "car-2" },
        { "newest of two succeeded", [S("car-1", "ACME", "SUCCEEDED", 5), S("car-2", "ACME", "SUCCEEDED", 9)], "car-2" },
        { "no timestamp", [new CreateAccountStatus { Id = "car-1", AccountName = "ACME", State = "IN_PROGRESS" }], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Finds_our_request_by_name_and_time_after_the_marker(string _, CreateAccountStatus[] statuses, string? expected) =>
        Assert.Equal(expected, CreateRequestMatcher.Find(statuses, "ACME", Marker, TimeSpan.FromMinutes(5))?.Id);

    private static CreateAccountStatus S(string id, string name, string state, int secondsAfterMarker) => new()
    {
        Id = id,
        AccountName = name,
        State = state,
        RequestedTimestamp = Marker.AddSeconds(secondsAfterMarker),
    };
}
