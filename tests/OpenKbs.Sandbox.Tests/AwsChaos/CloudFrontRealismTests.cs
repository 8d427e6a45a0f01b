using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class CloudFrontRealismTests(MotoServerFixture moto) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("openkbs-cf-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Config(bool enabled, string reference = "ref-1")
    {
        var path = Path.Combine(_directory, $"{reference}-{enabled}.json");
        File.WriteAllText(path, $$$"""
            {"CallerReference":"{{{reference}}}","Comment":"","Enabled":{{{(enabled ? "true" : "false")}}},
             "Origins":{"Quantity":1,"Items":[{"Id":"o1","DomainName":"b.s3.eu-central-1.amazonaws.com","S3OriginConfig":{"OriginAccessIdentity":""}}]},
             "DefaultCacheBehavior":{"TargetOriginId":"o1","ViewerProtocolPolicy":"redirect-to-https","CachePolicyId":"658327ea-f89d-4fab-a63d-7e88639e58f6"}}
            """);
        return "file://" + path;
    }

    [Fact]
    public async Task Aws_cli_sees_in_progress_then_deployed_and_a_stale_if_match_gets_412()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,cloudfront-polls=1");

        var created = (await Chaos.CliAsync(proxy, "cloudfront", "create-distribution", "--distribution-config", Config(enabled: true))).Json();
        var id = created.GetProperty("Distribution").GetProperty("Id").GetString()!;
        var etag = created.GetProperty("ETag").GetString()!;
        Assert.Equal("InProgress", created.GetProperty("Distribution").GetProperty("Status").GetString());

        var firstPoll = (await Chaos.CliAsync(proxy, "cloudfront", "get-distribution", "--id", id)).Json();
        Assert.Equal("InProgress", firstPoll.GetProperty("Distribution").GetProperty("Status").GetString());
        Assert.Equal(etag, firstPoll.GetProperty("ETag").GetString());
        using (var second = await Chaos.Http.SendAsync(RawAws.Signed(HttpMethod.Get, new Uri(proxy.Endpoint, $"/2020-05-31/distribution/{id}"), "cloudfront", "us-east-1", "AKIAIOSFODNN7EXAMPLE")))
        {
            Assert.Contains("<Status>Deployed</Status>", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(etag, second.Headers.GetValues("ETag").Single());
        }

        var disabled = (await Chaos.CliAsync(proxy, "cloudfront", "update-distribution", "--id", id, "--if-match", etag, "--distribution-config", Config(enabled: false))).Json();
        var newETag = disabled.GetProperty("ETag").GetString()!;
        Assert.NotEqual(etag, newETag);
        Assert.Equal("InProgress", disabled.GetProperty("Distribution").GetProperty("Status").GetString());

        var stale = await Chaos.CliAsync(proxy, "cloudfront", "update-distribution", "--id", id, "--if-match", etag, "--distribution-config", Config(enabled: false));
        Assert.Equal("PreconditionFailed", stale.ErrorCode);

        var deleteWhileInProgress = await Chaos.CliAsync(proxy, "cloudfront", "delete-distribution", "--id", id, "--if-match", newETag);
        Assert.Equal("DistributionNotDisabled", deleteWhileInProgress.ErrorCode);
    }

    [Fact]
    public async Task Update_and_delete_without_if_match_get_invalid_if_match_version()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,cloudfront-polls=0");

        var (updateStatus, update) = await Chaos.CallAsync(RawAws.Signed(HttpMethod.Put, new Uri(proxy.Endpoint, "/2020-05-31/distribution/E123/config"), "cloudfront", "us-east-1", "AKIAIOSFODNN7EXAMPLE"));
        var (deleteStatus, delete) = await Chaos.CallAsync(RawAws.Signed(HttpMethod.Delete, new Uri(proxy.Endpoint, "/2020-05-31/distribution/E123"), "cloudfront", "us-east-1", "AKIAIOSFODNN7EXAMPLE"));

        Assert.Equal(400, updateStatus);
        Assert.Equal(400, deleteStatus);
        Assert.Contains("<Code>InvalidIfMatchVersion</Code>", update.Text("text"), StringComparison.Ordinal);
        Assert.Contains("<Code>InvalidIfMatchVersion</Code>", delete.Text("text"), StringComparison.Ordinal);
    }
}
