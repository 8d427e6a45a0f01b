using System.Net;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Lambda;

/// <summary>
/// What the access component needs from Lambda: function URLs (the access function's origin behind CloudFront, AWS_IAM auth) and
/// layers (the @openkbs/auth helper): behaviour on moto and the wire of the JS SDK.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class FunctionUrlTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_function_url_is_created_read_updated_and_deleted_and_every_change_is_audited()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        var lambda = member.Lambda;
        await CreateFunctionAsync(member, "shop-access");

        var created = await lambda.CreateFunctionUrlConfigAsync(new CreateFunctionUrlConfigRequest { FunctionName = "shop-access", AuthType = "AWS_IAM" });
        // (Real Lambda answers a second CreateFunctionUrlConfig with 409 ResourceConflictException; moto 5.2.1 replaces the URL.)
        var read = await lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = "shop-access" });
        var updated = await lambda.UpdateFunctionUrlConfigAsync(new UpdateFunctionUrlConfigRequest { FunctionName = "shop-access", AuthType = "NONE" });
        await lambda.DeleteFunctionUrlConfigAsync(new DeleteFunctionUrlConfigRequest { FunctionName = "shop-access" });
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = "shop-access" }));

        Assert.StartsWith("https://", created.FunctionUrl, StringComparison.Ordinal);
        Assert.Equal(("AWS_IAM", "arn:aws:lambda:eu-central-1:123456789012:function:shop-access"), (created.AuthType, created.FunctionArn));
        Assert.Equal((created.FunctionUrl, "AWS_IAM"), (read.FunctionUrl, read.AuthType));
        Assert.Equal((created.FunctionUrl, "NONE"), (updated.FunctionUrl, updated.AuthType));
        Assert.Equal(HttpStatusCode.NotFound, gone.HttpStatus);
        var audited = host.Audit.Records.Where(r => r.Action.Contains("FunctionUrlConfig", StringComparison.Ordinal)).Select(r => (r.Action, r.Outcome.ToString())).ToList();
        Assert.Contains(("lambda:CreateFunctionUrlConfig", "Success"), audited);
        Assert.Contains(("lambda:UpdateFunctionUrlConfig", "Success"), audited);
        Assert.Contains(("lambda:DeleteFunctionUrlConfig", "Success"), audited);
        Assert.DoesNotContain(audited, a => a.Action == "lambda:GetFunctionUrlConfig");
    }

    [Fact]
    public async Task The_wire_matches_the_AWS_SDK_for_JavaScript()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        await CreateFunctionAsync(member, "our-fn");
        await CreateFunctionAsync(member, "js-fn");

        await member.Lambda.CreateFunctionUrlConfigAsync(new CreateFunctionUrlConfigRequest { FunctionName = "our-fn", AuthType = "AWS_IAM", InvokeMode = "BUFFERED" });
        await member.Lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = "our-fn" });
        await member.Lambda.UpdateFunctionUrlConfigAsync(new UpdateFunctionUrlConfigRequest { FunctionName = "our-fn", AuthType = "NONE" });
        await member.Lambda.DeleteFunctionUrlConfigAsync(new DeleteFunctionUrlConfigRequest { FunctionName = "our-fn" });
        var ours = host.Counter.Sent.Where(s => s.Operation.EndsWith("FunctionUrlConfig", StringComparison.Ordinal)).ToDictionary(s => s.Operation, s => s.Request);

        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("lambda", "CreateFunctionUrlConfig", new { FunctionName = "js-fn", AuthType = "AWS_IAM", InvokeMode = "BUFFERED" }),
            new("lambda", "GetFunctionUrlConfig", new { FunctionName = "js-fn" }),
            new("lambda", "UpdateFunctionUrlConfig", new { FunctionName = "js-fn", AuthType = "NONE" }),
            new("lambda", "DeleteFunctionUrlConfig", new { FunctionName = "js-fn" }),
        ]);
        Assert.All(js, r => r.EnsureOk());

        var renames = new[] { ("js-fn", "our-fn") };
        foreach (var (operation, index) in new[] { ("CreateFunctionUrlConfig", 0), ("GetFunctionUrlConfig", 1), ("UpdateFunctionUrlConfig", 2), ("DeleteFunctionUrlConfig", 3) })
        {
            var theirs = js[index].Request!;
            WireAssert.SameRoute(theirs, ours[operation], renames);
            WireAssert.SameJson(theirs.Body, ours[operation].Body, "FunctionName");
        }
    }

    [Fact]
    public async Task A_layer_version_is_published_listed_and_attached_to_a_function_with_the_JS_SDK_wire()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        var zip = LambdaClientTests.Zip("module.exports = {};");
        await CreateFunctionAsync(member, "our-fn");

        var first = await member.Lambda.PublishLayerVersionAsync(new PublishLayerVersionRequest
        {
            LayerName = "okbs-shop-auth", Content = new LayerVersionContentInput { ZipFile = zip }, CompatibleRuntimes = ["nodejs24.x"], Description = "@openkbs/auth 1.0.0",
        });
        var second = await member.Lambda.PublishLayerVersionAsync(new PublishLayerVersionRequest { LayerName = "okbs-shop-auth", Content = new LayerVersionContentInput { ZipFile = zip } });
        var listed = await member.Lambda.ListLayerVersionsAsync(new ListLayerVersionsRequest { LayerName = "okbs-shop-auth" });
        var attached = await member.Lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = "our-fn", Layers = [second.LayerVersionArn!] });

        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:layer:okbs-shop-auth:1", first.LayerVersionArn);
        Assert.Equal((1L, 2L), (first.Version, second.Version));
        Assert.Equal([2L, 1L], listed.LayerVersions.Select(v => v.Version!.Value).OrderDescending());
        Assert.Equal([second.LayerVersionArn], attached.Layers!.Select(l => l.Arn));
        Assert.Contains(host.Audit.Records, r => r.Action == "lambda:PublishLayerVersion" && r.Resource == first.LayerVersionArn);

        var ours = host.Counter.Sent.Where(s => s.Operation is "PublishLayerVersion" or "ListLayerVersions").GroupBy(s => s.Operation).ToDictionary(g => g.Key, g => g.First().Request);
        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("lambda", "PublishLayerVersion", new Dictionary<string, object>
            {
                ["LayerName"] = "okbs-shop-auth", ["Content"] = new Dictionary<string, object> { ["ZipFile"] = JsSdk.Bytes(zip) },
                ["CompatibleRuntimes"] = new[] { "nodejs24.x" }, ["Description"] = "@openkbs/auth 1.0.0",
            }),
            new("lambda", "ListLayerVersions", new { LayerName = "okbs-shop-auth" }),
        ]);
        Assert.All(js, r => r.EnsureOk());
        WireAssert.SameRoute(js[0].Request!, ours["PublishLayerVersion"]);
        WireAssert.SameJson(js[0].Request!.Body, ours["PublishLayerVersion"].Body, "LayerName");
        WireAssert.SameRoute(js[1].Request!, ours["ListLayerVersions"]);
    }

    private static async Task CreateFunctionAsync(OpenKbs.Aws.Clients.IMemberAccountClients member, string name) =>
        await member.Lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = name,
            Role = await LambdaClientTests.ExecutionRoleAsync(member, name + "-role"),
            Runtime = "nodejs24.x",
            Handler = "index.handler",
            Code = new FunctionCode { ZipFile = LambdaClientTests.Zip("exports.handler = async () => 1;") },
        });
}
