using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// Issue 6's proof on the sandbox with moto and the realism layer, seen with the aws CLI through a 900 s AssumeRole session in
/// each client's account: the example project Ready and where it lives, drift put back, a second deployment. See
/// <see cref="TwoTenantsFixture"/>.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ProjectLifecycleTests(TwoTenantsFixture fixture) : IClassFixture<TwoTenantsFixture>
{
    private const string Region = "eu-central-1";

    private TenantWorld World => fixture.World;

    [Fact]
    public async Task The_example_project_becomes_Ready_and_lives_only_in_its_clients_account()
    {
        var (a, b) = await fixture.ReadyAsync();
        var client = await World.ClientAsync(a.Status!.AccountId!);
        var other = await World.ClientAsync(b.Status!.AccountId!);
        Assert.NotEqual(client.AccountId, other.AccountId);

        // Storage: versioned, encrypted with the project key, public access blocked, TLS only, noncurrent versions expire.
        var bucket = a.Status.Storage!.BucketName!;
        Assert.Equal("Enabled", (await client.JsonAsync("s3api", "get-bucket-versioning", "--bucket", bucket)).GetProperty("Status").GetString());
        var encryption = (await client.JsonAsync("s3api", "get-bucket-encryption", "--bucket", bucket))
            .GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0].GetProperty("ApplyServerSideEncryptionByDefault");
        Assert.Equal("aws:kms", encryption.GetProperty("SSEAlgorithm").GetString());
        var block = (await client.JsonAsync("s3api", "get-public-access-block", "--bucket", bucket)).GetProperty("PublicAccessBlockConfiguration");
        Assert.All(new[] { "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets" }, s => Assert.True(block.GetProperty(s).GetBoolean(), s));
        Assert.Contains("aws:SecureTransport", (await client.JsonAsync("s3api", "get-bucket-policy", "--bucket", bucket)).GetProperty("Policy").GetString(), StringComparison.Ordinal);
        var lifecycle = (await client.JsonAsync("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket)).GetProperty("Rules").EnumerateArray();
        Assert.Contains(lifecycle, r => r.TryGetProperty("NoncurrentVersionExpiration", out var e) && e.GetProperty("NoncurrentDays").GetInt32() == 30);
        Assert.Equal(Region, (await client.JsonAsync("s3api", "get-bucket-location", "--bucket", bucket)).GetProperty("LocationConstraint").GetString());

        // Database: Aurora PostgreSQL Serverless v2, encrypted, 7 days of backups, deletion protection.
        var cluster = (await client.JsonAsync("rds", "describe-db-clusters", "--db-cluster-identifier", a.Status.Database!.ClusterIdentifier!)).GetProperty("DBClusters")[0];
        Assert.Equal("aurora-postgresql", cluster.GetProperty("Engine").GetString());
        Assert.True(cluster.GetProperty("StorageEncrypted").GetBoolean());
        Assert.Equal(7, cluster.GetProperty("BackupRetentionPeriod").GetInt32());
        Assert.True(cluster.GetProperty("DeletionProtection").GetBoolean());
        Assert.Contains($":{Region}:", cluster.GetProperty("DBClusterArn").GetString(), StringComparison.Ordinal);

        // Functions: nodejs24.x in the home region, configured from the spec.
        var functions = (await client.JsonAsync("lambda", "list-functions")).GetProperty("Functions").EnumerateArray().ToList();
        // The spec's functions plus the access function (docs/access.md: the example has API keys, so access is on).
        Assert.Equal(a.Spec.Functions!.Count + 1, functions.Count);
        Assert.Single(functions, f => f.GetProperty("FunctionName").GetString()!.EndsWith("_access", StringComparison.Ordinal));
        Assert.All(functions, f => Assert.Equal("nodejs24.x", f.GetProperty("Runtime").GetString()));
        Assert.All(functions, f => Assert.Contains($":{Region}:{client.AccountId}:function:", f.GetProperty("FunctionArn").GetString(), StringComparison.Ordinal));
        Assert.Contains(functions, f => f.GetProperty("FunctionName").GetString()!.EndsWith("-api", StringComparison.Ordinal) && f.GetProperty("MemorySize").GetInt32() == 256);

        // CDN: HTTPS only, TLSv1.2_2021, the chosen price class.
        var distribution = (await client.JsonAsync("cloudfront", "get-distribution", "--id", a.Status.Cdn!.DistributionId!)).GetProperty("Distribution");
        var config = distribution.GetProperty("DistributionConfig");
        Assert.Equal("TLSv1.2_2021", config.GetProperty("ViewerCertificate").GetProperty("MinimumProtocolVersion").GetString());
        Assert.Equal("redirect-to-https", config.GetProperty("DefaultCacheBehavior").GetProperty("ViewerProtocolPolicy").GetString());
        Assert.Equal("PriceClass_100", config.GetProperty("PriceClass").GetString());

        // Schedules: the nightly report in Berlin time, invoking the report function.
        var schedule = await ScheduleAsync(client, "nightly-report");
        Assert.Equal("cron(0 2 * * ? *)", schedule.GetProperty("ScheduleExpression").GetString());
        Assert.Equal("Europe/Berlin", schedule.GetProperty("ScheduleExpressionTimezone").GetString());
        Assert.EndsWith("-report", schedule.GetProperty("Target").GetProperty("Arn").GetString(), StringComparison.Ordinal);

        // None of it in the management account, none of it in the other client's account.
        var management = World.Management;
        Assert.Equal(["openkbs-artifacts"], await management.BucketsAsync());
        Assert.Empty(await management.FunctionsAsync());
        Assert.Empty(await management.ClustersAsync());
        Assert.Empty(await management.DistributionsAsync());
        Assert.Empty(await management.SchedulesAsync());
        Assert.DoesNotContain(bucket, await other.BucketsAsync());
        Assert.Empty((await other.FunctionsAsync()).Intersect(functions.Select(f => f.GetProperty("FunctionName").GetString()!)));
        Assert.DoesNotContain(a.Status.Database.ClusterIdentifier, await other.ClustersAsync());
        Assert.DoesNotContain(a.Status.Cdn.DistributionId, await other.DistributionsAsync());
        // The other client's own project bucket and its CloudFront access-log bucket (docs/usage.md), nothing else.
        Assert.Equal([b.Status.Storage!.BucketName!, b.Status.Storage!.BucketName! + "-cdnlogs"], (await other.BucketsAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Changes_behind_the_operators_back_are_put_back_by_one_drift_check()
    {
        var (a, _) = await fixture.ReadyAsync();
        var client = await World.ClientAsync(a.Status!.AccountId!);
        var bucket = a.Status.Storage!.BucketName!;
        var api = a.Status.Functions!.Single(f => f.Name == "api").Arn!;
        var distributionId = a.Status.Cdn!.DistributionId!;

        // Behind the operator's back: versioning suspended, public access block removed, memory quadrupled, the schedule
        // moved to every 5 minutes, the distribution opened to plain HTTP on every edge.
        await client.JsonAsync("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended");
        await client.JsonAsync("s3api", "delete-public-access-block", "--bucket", bucket);
        await client.JsonAsync("lambda", "update-function-configuration", "--function-name", api, "--memory-size", "1024");
        await UntilAsync(async () => (await client.JsonAsync("lambda", "get-function-configuration", "--function-name", api)).GetProperty("LastUpdateStatus").GetString() == "Successful");
        var schedule = await ScheduleAsync(client, "nightly-report");
        await UpdateScheduleAsync(client, schedule, "rate(5 minutes)");
        await UpdateDistributionAsync(client, distributionId, config =>
        {
            config["DefaultCacheBehavior"]!["ViewerProtocolPolicy"] = "allow-all";
            config["PriceClass"] = "PriceClass_All";
        });
        await UntilAsync(async () => (await client.JsonAsync("cloudfront", "get-distribution", "--id", distributionId)).GetProperty("Distribution").GetProperty("Status").GetString() == "Deployed");

        // One pass that started after every change (the reconcile-requested-at echo marks its end) puts everything back.
        await ProjectApi.RequestPassAsync(World.Client, fixture.A, "shop", TenantWorld.Converge, World.Diagnostics);

        Assert.Equal("Enabled", (await client.JsonAsync("s3api", "get-bucket-versioning", "--bucket", bucket)).GetProperty("Status").GetString());
        var block = (await client.JsonAsync("s3api", "get-public-access-block", "--bucket", bucket)).GetProperty("PublicAccessBlockConfiguration");
        Assert.True(block.GetProperty("BlockPublicPolicy").GetBoolean());
        Assert.Equal(256, (await client.JsonAsync("lambda", "get-function-configuration", "--function-name", api)).GetProperty("MemorySize").GetInt32());
        Assert.Equal("cron(0 2 * * ? *)", (await ScheduleAsync(client, "nightly-report")).GetProperty("ScheduleExpression").GetString());
        var config = (await client.JsonAsync("cloudfront", "get-distribution-config", "--id", distributionId)).GetProperty("DistributionConfig");
        Assert.Equal("redirect-to-https", config.GetProperty("DefaultCacheBehavior").GetProperty("ViewerProtocolPolicy").GetString());
        Assert.Equal("PriceClass_100", config.GetProperty("PriceClass").GetString());

        // And the periodic drift check alone (no request, no spec change) does it too.
        await client.JsonAsync("lambda", "update-function-configuration", "--function-name", api, "--memory-size", "512");
        await UntilAsync(async () => (await client.JsonAsync("lambda", "get-function-configuration", "--function-name", api)).GetProperty("MemorySize").GetInt32() == 256);
        await World.WaitReadyAsync(fixture.A);
    }

    [Fact]
    public async Task A_second_deployment_updates_the_code_rotates_the_keys_and_leaves_the_old_key_unusable()
    {
        var (_, b) = await fixture.ReadyAsync();
        var client = await World.ClientAsync(b.Status!.AccountId!);
        var oldKey = await ApiKeyAsync(fixture.B);
        Assert.Contains(SealedSetting.Sha256Hex(oldKey), await SealedSetting.AcceptedKeyHashesAsync(client, b, World.Sandbox.WorkDirectory));
        Assert.Equal(SealedSetting.Sha256Hex(oldKey), b.Status.ApiKeys!.Single(k => k.Name == "partner").Sha256);

        var sha256 = await World.UploadArtifactAsync("examples/shop/2.0.0.zip", TenantWorld.ShopFiles("version 2.0.0"));
        await ProjectApi.PatchSpecAsync(World.Client, fixture.B, "shop",
            new JsonObject
            {
                ["version"] = "2.0.0",
                ["source"] = new JsonObject { ["s3"] = new JsonObject { ["bucket"] = "openkbs-artifacts", ["key"] = "examples/shop/2.0.0.zip" }, ["sha256"] = sha256 },
            }.ToJsonString());
        var deployed = await ProjectApi.WaitAsync(World.Client, fixture.B, "shop",
            p => ProjectApi.IsReady(p) && p.Status?.DeployedVersion == "2.0.0", TenantWorld.Converge, World.Diagnostics);

        // The code: every function runs the new artifact (Lambda's CodeSha256 is the base64 SHA-256 of the zip).
        Assert.Equal(sha256, deployed.Status!.ArtifactSha256);
        var codeSha256 = Convert.ToBase64String(Convert.FromHexString(sha256));
        foreach (var function in deployed.Status.Functions!)
        {
            Assert.Equal(codeSha256, (await client.JsonAsync("lambda", "get-function-configuration", "--function-name", function.Arn!)).GetProperty("CodeSha256").GetString());
        }

        // The keys: a new one handed over in the Secret, its hash in status and in the functions; the old one accepted nowhere.
        var newKey = await ApiKeyAsync(fixture.B);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(SealedSetting.Sha256Hex(newKey), deployed.Status.ApiKeys!.Single(k => k.Name == "partner").Sha256);
        var accepted = await SealedSetting.AcceptedKeyHashesAsync(client, deployed, World.Sandbox.WorkDirectory);
        Assert.Contains(SealedSetting.Sha256Hex(newKey), accepted);
        Assert.DoesNotContain(SealedSetting.Sha256Hex(oldKey), accepted);
    }

    private Task<string> ApiKeyAsync(string ns) => SealedSetting.HandedOverKeyAsync(World.Client, ns, "shop", "partner");

    private static async Task<JsonElement> ScheduleAsync(AccountSession client, string name)
    {
        var listed = (await client.JsonAsync("scheduler", "list-schedules")).GetProperty("Schedules").EnumerateArray()
            .Single(s => s.GetProperty("Name").GetString()!.EndsWith(name, StringComparison.Ordinal));
        return await client.JsonAsync("scheduler", "get-schedule", "--name", listed.GetProperty("Name").GetString()!, "--group-name", listed.GetProperty("GroupName").GetString()!);
    }

    private async Task UpdateScheduleAsync(AccountSession client, JsonElement schedule, string expression)
    {
        var input = new JsonObject
        {
            ["Name"] = schedule.GetProperty("Name").GetString(),
            ["GroupName"] = schedule.GetProperty("GroupName").GetString(),
            ["ScheduleExpression"] = expression,
            ["FlexibleTimeWindow"] = JsonNode.Parse(schedule.GetProperty("FlexibleTimeWindow").GetRawText()),
            ["Target"] = new JsonObject
            {
                ["Arn"] = schedule.GetProperty("Target").GetProperty("Arn").GetString(),
                ["RoleArn"] = schedule.GetProperty("Target").GetProperty("RoleArn").GetString(),
            },
        };
        await client.JsonAsync("scheduler", "update-schedule", "--cli-input-json", await FileAsync("schedule", input));
    }

    private async Task UpdateDistributionAsync(AccountSession client, string id, Action<JsonObject> change)
    {
        var current = await client.JsonAsync("cloudfront", "get-distribution-config", "--id", id);
        var config = JsonNode.Parse(current.GetProperty("DistributionConfig").GetRawText())!.AsObject();
        change(config);
        await client.JsonAsync("cloudfront", "update-distribution", "--id", id, "--if-match", current.GetProperty("ETag").GetString()!,
            "--distribution-config", await FileAsync("distribution", config));
    }

    private async Task<string> FileAsync(string name, JsonNode content)
    {
        var path = Path.Combine(World.Sandbox.WorkDirectory, $"{name}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, content.ToJsonString());
        return "file://" + path;
    }

    /// <summary>Polls an aws CLI observation (each read also advances the realism's state machines) until it holds.</summary>
    private async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TenantWorld.Converge;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not observed in time\n" + World.Diagnostics());
            await Task.Delay(500);
        }
    }
}
