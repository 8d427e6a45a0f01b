using System.Net;
using OpenKbs.Runtime.Hosting;

namespace OpenKbs.Runtime.Tests;

public sealed class BindAddressTests
{
    public static TheoryData<string, string?> Cases => new()
    {
        { ":8080", "0.0.0.0:8080" },
        { "127.0.0.1:0", "127.0.0.1:0" },
        { "localhost:9090", "127.0.0.1:9090" },
        { "[::1]:8081", "[::1]:8081" },
        { "0", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_controller_runtime_style_addresses(string input, string? expected)
        => Assert.Equal(expected, BindAddress.Parse(input)?.ToString());

    [Theory]
    [InlineData("8080")]
    [InlineData("host:http")]
    [InlineData("example.com:80")]
    public void Rejects_what_is_not_an_address(string input)
        => Assert.Throws<FormatException>(() => BindAddress.Parse(input));

    [Fact]
    public void Port_zero_means_any_free_port()
        => Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), BindAddress.Parse("127.0.0.1:0"));
}
