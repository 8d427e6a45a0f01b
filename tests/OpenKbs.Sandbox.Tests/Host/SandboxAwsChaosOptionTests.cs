using System.CommandLine;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Host;
using OpenKbs.Testing.AwsChaos;

namespace OpenKbs.Sandbox.Tests.Host;

/// <summary>aws.env points at the AWS proxy in front of moto; `--aws-chaos SPEC` says what it injects.</summary>
public sealed class SandboxAwsChaosOptionTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("openkbs-sandbox-chaos-").FullName;

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    [Fact]
    public async Task An_invalid_spec_stops_the_command_before_anything_starts()
    {
        var code = await SandboxCommand.Create().Parse(["--state-dir", _stateDir, "--aws-chaos", "throttle=0.2,bogus=1"]).InvokeAsync();

        Assert.Equal(2, code);
        Assert.False(File.Exists(Path.Combine(_stateDir, "kubeconfig")));
    }

    [Fact]
    public async Task Aws_env_points_at_the_chaos_proxy_which_fronts_moto()
    {
        using var stop = new CancellationTokenSource();
        var run = SandboxCommand.Create().Parse(["--state-dir", _stateDir, "--aws-chaos", "realism=on,org-polls=3,empty-pages=0,otp=ABC123"])
            .InvokeAsync(cancellationToken: stop.Token);
        try
        {
            var endpoint = await WaitForAwsEndpointAsync(run);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

            var spec = JsonNode.Parse(await http.GetStringAsync(new Uri(endpoint, "/__chaos/spec")))!["spec"]!.GetValue<string>();
            using var created = await http.SendAsync(RawAws.Organizations(endpoint, "CreateAccount", new JsonObject { ["Email"] = "chaos@example.com", ["AccountName"] = "chaos" }));
            var status = (await RawAws.ReadJsonAsync(created))["CreateAccountStatus"]!["State"]!.GetValue<string>();

            Assert.Equal("realism=on,otp=ABC123,org-polls=3,empty-pages=0", spec);
            Assert.Equal("IN_PROGRESS", status);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
        }
    }

    [Fact]
    public async Task Without_aws_chaos_aws_env_still_points_at_the_proxy_so_AWS_behaves_as_it_does_for_real()
    {
        using var stop = new CancellationTokenSource();
        var run = SandboxCommand.Create().Parse(["--state-dir", _stateDir]).InvokeAsync(cancellationToken: stop.Token);
        try
        {
            var endpoint = await WaitForAwsEndpointAsync(run);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

            var spec = JsonNode.Parse(await http.GetStringAsync(new Uri(endpoint, "/__chaos/spec")))!["spec"]!.GetValue<string>();

            Assert.Equal("off", spec);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(1)));
        }
    }

    /// <summary>Waits for DIR/ready and returns the AWS_ENDPOINT_URL of DIR/aws.env.</summary>
    private async Task<Uri> WaitForAwsEndpointAsync(Task<int> run)
    {
        var ready = Path.Combine(_stateDir, "ready");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(ready))
        {
            Assert.False(run.IsCompleted, $"the sandbox exited early with {(run.IsCompleted ? await run : 0)}");
            Assert.True(DateTime.UtcNow < deadline, "the sandbox did not become ready within 3 minutes");
            await Task.Delay(200);
        }

        var env = await File.ReadAllLinesAsync(Path.Combine(_stateDir, "aws.env"));
        return new Uri(env.Single(l => l.StartsWith("export AWS_ENDPOINT_URL=", StringComparison.Ordinal)).Split('=', 2)[1].Trim('\''));
    }
}
