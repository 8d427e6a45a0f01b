using System.IO.Compression;
using System.Text.Json.Nodes;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class LambdaRealismTests(MotoServerFixture moto) : IDisposable
{
    private const string TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private readonly string _zip = WriteZip();

    public void Dispose() => File.Delete(_zip);

    private static string WriteZip()
    {
        var path = Path.Combine(Path.GetTempPath(), $"openkbs-fn-{Guid.NewGuid():N}.zip");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using var writer = new StreamWriter(archive.CreateEntry("index.mjs").Open());
        writer.Write("export const handler = async () => ({ ok: true });\n");
        return path;
    }

    private static async Task<string> RoleAsync(Uri endpoint)
    {
        var (status, body) = await Chaos.CallAsync(RawAws.Query(endpoint, "iam", "CreateRole", "2010-05-08",
            [new("RoleName", "fn-role"), new("AssumeRolePolicyDocument", TrustPolicy)], "us-east-1"));
        Assert.True(status == 200, body.ToJsonString());
        return "arn:aws:iam::123456789012:role/fn-role";
    }

    [Fact]
    public async Task Aws_cli_gets_409_while_pending_and_in_progress_and_412_for_a_stale_revision()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,lambda-polls=1");
        var role = await RoleAsync(proxy.Endpoint);

        var created = (await Chaos.CliAsync(proxy, "lambda", "create-function", "--function-name", "shop", "--runtime", "nodejs24.x",
            "--handler", "index.handler", "--role", role, "--zip-file", "fileb://" + _zip)).Json();
        Assert.Equal("Pending", created.GetProperty("State").GetString());

        var whilePending = await Chaos.CliAsync(proxy, "lambda", "update-function-code", "--function-name", "shop", "--zip-file", "fileb://" + _zip);
        Assert.Equal("ResourceConflictException", whilePending.ErrorCode);
        Assert.Contains("Pending", whilePending.StandardError, StringComparison.Ordinal);

        var firstPoll = (await Chaos.CallAsync(RawAws.Rest(HttpMethod.Get, proxy.Endpoint, "/2015-03-31/functions/shop", "lambda"))).Body;
        var secondPoll = (await Chaos.CallAsync(RawAws.Rest(HttpMethod.Get, proxy.Endpoint, "/2015-03-31/functions/shop", "lambda"))).Body;
        Assert.Equal(("Pending", "Active"), (firstPoll.Text("Configuration.State"), secondPoll.Text("Configuration.State")));
        var revision = secondPoll.Text("Configuration.RevisionId");

        var updated = (await Chaos.CliAsync(proxy, "lambda", "update-function-configuration", "--function-name", "shop", "--memory-size", "256", "--revision-id", revision)).Json();
        Assert.Equal("InProgress", updated.GetProperty("LastUpdateStatus").GetString());
        Assert.NotEqual(revision, updated.GetProperty("RevisionId").GetString());

        var whileUpdating = await Chaos.CliAsync(proxy, "lambda", "update-function-code", "--function-name", "shop", "--zip-file", "fileb://" + _zip);
        Assert.Equal("ResourceConflictException", whileUpdating.ErrorCode);
        Assert.Contains("An update is in progress for resource: arn:aws:lambda:eu-central-1:123456789012:function:shop", whileUpdating.StandardError, StringComparison.Ordinal);

        // Once the update is done (one poll still shows it in progress), the old revision is stale.
        Assert.Equal("InProgress", (await Chaos.CallAsync(RawAws.Rest(HttpMethod.Get, proxy.Endpoint, "/2015-03-31/functions/shop/configuration", "lambda"))).Body.Text("LastUpdateStatus"));
        Assert.Equal("Successful", (await Chaos.CallAsync(RawAws.Rest(HttpMethod.Get, proxy.Endpoint, "/2015-03-31/functions/shop/configuration", "lambda"))).Body.Text("LastUpdateStatus"));
        var stale = await Chaos.CliAsync(proxy, "lambda", "update-function-configuration", "--function-name", "shop", "--memory-size", "512", "--revision-id", revision);
        Assert.Equal("PreconditionFailedException", stale.ErrorCode);
        Assert.Equal(2, proxy.Engine.Stats.Realism("ResourceConflict"));
    }

    [Fact]
    public async Task Polls_of_get_function_configuration_walk_last_update_status_to_successful()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,lambda-polls=2");
        var role = await RoleAsync(proxy.Endpoint);
        var create = new JsonObject
        {
            ["FunctionName"] = "poll",
            ["Runtime"] = "nodejs24.x",
            ["Role"] = role,
            ["Handler"] = "index.handler",
            ["Code"] = new JsonObject { ["ZipFile"] = Convert.ToBase64String(await File.ReadAllBytesAsync(_zip)) },
        };
        Assert.Equal(201, (await Chaos.CallAsync(RawAws.Rest(HttpMethod.Post, proxy.Endpoint, "/2015-03-31/functions", "lambda", create))).Status);

        async Task<(string? State, string? Update)> PollAsync()
        {
            // An ARN in the path (percent-encoded) names the same function.
            var (status, body) = await Chaos.CallAsync(RawAws.Rest(HttpMethod.Get, proxy.Endpoint, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Apoll/configuration", "lambda"));
            Assert.Equal(200, status);
            return (body["State"]?.GetValue<string>(), body["LastUpdateStatus"]?.GetValue<string>());
        }

        var creating = new[] { await PollAsync(), await PollAsync(), await PollAsync() };
        var (updateStatus, _) = await Chaos.CallAsync(RawAws.Rest(HttpMethod.Put, proxy.Endpoint, "/2015-03-31/functions/poll/configuration", "lambda", new JsonObject { ["Timeout"] = 30 }));
        var updating = new[] { await PollAsync(), await PollAsync(), await PollAsync() };

        Assert.Equal([("Pending", null), ("Pending", null), ("Active", "Successful")], creating);
        Assert.Equal(200, updateStatus);
        Assert.Equal([("Active", "InProgress"), ("Active", "InProgress"), ("Active", "Successful")], updating);
    }
}
