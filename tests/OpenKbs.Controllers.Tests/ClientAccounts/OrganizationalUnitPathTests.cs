using OpenKbs.Controllers.ClientAccounts;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class OrganizationalUnitPathTests
{
    public static TheoryData<string?, string[]> Valid => new()
    {
        { null, [] },
        { "", [] },
        { "Clients", ["Clients"] },
        { "Clients/Manufacturing", ["Clients", "Manufacturing"] },
        { "A/B/C/D/E", ["A", "B", "C", "D", "E"] },
        { "R&D/Team 1", ["R&D", "Team 1"] },
        { new string('x', 128), [new string('x', 128)] },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_paths_parse_into_segments(string? path, string[] segments)
    {
        Assert.True(OrganizationalUnitPath.TryParse(path, out var parsed, out var error), error);
        Assert.Equal(segments, parsed.Segments);
        Assert.Equal(segments.Length == 0, parsed.IsRoot);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "A/B/C/D/E/F", "6 levels deep" },
        { "/Clients", "empty name" },
        { "Clients/", "empty name" },
        { "Clients//Retail", "empty name" },
        { new string('x', 129), "at most 128" },
        { "Clients/ Retail", "space" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_paths_say_what_is_wrong(string path, string expected)
    {
        Assert.False(OrganizationalUnitPath.TryParse(path, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
