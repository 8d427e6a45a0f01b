using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class MotoFixtureTests(MotoServerFixture moto)
{
    [Fact]
    public async Task Reset_wipes_state_the_aws_cli_created()
    {
        await moto.ResetAsync();
        (await AwsCli.RunAsync(moto.Endpoint, "iam", "create-role", "--role-name", "fixture-probe", "--assume-role-policy-document", "{}")).Json();
        Assert.Contains("fixture-probe", await ListRolesAsync(), StringComparison.Ordinal);

        await moto.ResetAsync();

        Assert.DoesNotContain("fixture-probe", await ListRolesAsync(), StringComparison.Ordinal);
    }

    private async Task<string> ListRolesAsync()
    {
        using var response = await Chaos.Http.SendAsync(RawAws.Query(moto.Endpoint, "iam", "ListRoles", "2010-05-08", region: "us-east-1"));
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_shared_server_is_one_process_on_loopback()
    {
        var again = await MotoServerFixture.GetSharedServerAsync();
        Assert.Same(moto.Server, again);
        Assert.Equal("127.0.0.1", moto.Endpoint.Host);
        Assert.False(moto.Server.HasExited);
    }

    [Fact]
    public async Task A_missing_executable_says_how_to_install_moto()
    {
        var error = await Assert.ThrowsAsync<MotoNotFoundException>(
            () => MotoLauncher.StartAsync(new MotoServerOptions { Executable = "openkbs-no-such-moto-server" }));
        Assert.Contains("pip install \"moto[server]\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("openkbs-no-such-moto-server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_a_server_stops_the_process()
    {
        var server = await MotoLauncher.StartAsync();
        var endpoint = server.Endpoint;
        await server.DisposeAsync();

        Assert.True(server.HasExited);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(endpoint, "/moto-api/")));
    }
}
