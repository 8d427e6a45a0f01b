using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.Tests.CloudFront;
using OpenKbs.Aws.Tests.Lambda;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Realism;

/// <summary>
/// The member clients through the sandbox's realism layer (AwsChaosHandler, realism=on): what moto finishes at once becomes the
/// states and locks AWS has, and the clients surface them the way the controllers need (State, LastUpdateStatus, ETag, Status,
/// and 409 / 412 classified Conflict, never retried blindly).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class MemberRealismTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lambda_pending_and_in_progress_states_answer_409_and_a_stale_revision_412()
    {
        using var realism = new AwsChaosHandler(new AwsChaosEngine("realism=on"));
        using var host = new AwsTestHost(moto, faults: realism);
        var member = Members.In(host);
        var lambda = member.Lambda;
        var role = await LambdaClientTests.ExecutionRoleAsync(member);
        var created = await lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = "shop-api", Role = role, Runtime = "nodejs24.x", Handler = "index.handler", Code = new FunctionCode { ZipFile = LambdaClientTests.Zip("x") },
        });
        Assert.Equal("Pending", created.State);

        var polls = await PollAsync(async () => (await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "shop-api" })).Configuration!.State == "Active");
        Assert.InRange(polls, 2, 10);

        var first = await lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = "shop-api", MemorySize = 256 });
        Assert.Equal("InProgress", first.LastUpdateStatus);
        var conflict = await Assert.ThrowsAsync<AwsServiceException>(() => lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest { FunctionName = "shop-api", ZipFile = LambdaClientTests.Zip("y") }));
        Assert.Equal(("ResourceConflictException", AwsErrorClassification.Conflict, 1), (conflict.ErrorCode, conflict.Classification, conflict.Attempts));

        await PollAsync(async () => (await lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = "shop-api" })).LastUpdateStatus == "Successful");
        var current = await lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = "shop-api" });
        Assert.False(string.IsNullOrEmpty(current.RevisionId));
        var stale = await Assert.ThrowsAsync<AwsServiceException>(() => lambda.UpdateFunctionConfigurationAsync(
            new UpdateFunctionConfigurationRequest { FunctionName = "shop-api", Timeout = 20, RevisionId = "00000000-0000-0000-0000-000000000000" }));
        Assert.Equal(("PreconditionFailedException", AwsErrorClassification.Conflict), (stale.ErrorCode, stale.Classification));
        var updated = await lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = "shop-api", Timeout = 20, RevisionId = current.RevisionId });
        Assert.NotEqual(current.RevisionId, updated.RevisionId);
    }

    [Fact]
    public async Task CloudFront_distributions_deploy_over_time_and_If_Match_is_enforced()
    {
        using var realism = new AwsChaosHandler(new AwsChaosEngine("realism=on"));
        using var host = new AwsTestHost(moto, faults: realism);
        var cloudFront = Members.In(host).CloudFront;
        var oac = (await cloudFront.CreateOriginAccessControlAsync(new CreateOriginAccessControlRequest
        {
            OriginAccessControlConfig = new OriginAccessControlConfig { Name = "shop", SigningProtocol = "sigv4", SigningBehavior = "always", OriginAccessControlOriginType = "s3" },
        })).OriginAccessControl!;
        var config = CloudFrontDistributions.ForS3Origin(CloudFrontClientTests.Spec(oac.Id!));
        var created = await cloudFront.CreateDistributionAsync(new CreateDistributionRequest { DistributionConfig = config });
        var id = created.Distribution!.Id!;
        Assert.Equal("InProgress", created.Distribution.Status);
        await PollAsync(async () => (await cloudFront.GetDistributionAsync(new GetDistributionRequest { Id = id })).Distribution!.Status == "Deployed");

        var current = await cloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id });
        var stale = await Assert.ThrowsAsync<AwsServiceException>(() => cloudFront.UpdateDistributionAsync(
            new UpdateDistributionRequest { Id = id, IfMatch = "E0STALE", DistributionConfig = config with { Comment = "x" } }));
        Assert.Equal(("PreconditionFailed", AwsErrorClassification.Conflict), (stale.ErrorCode, stale.Classification));

        var enabled = await Assert.ThrowsAsync<AwsServiceException>(() => cloudFront.DeleteDistributionAsync(new DeleteDistributionRequest { Id = id, IfMatch = current.ETag! }));
        Assert.Equal(("DistributionNotDisabled", AwsErrorClassification.Conflict), (enabled.ErrorCode, enabled.Classification));

        var disabled = await cloudFront.UpdateDistributionAsync(new UpdateDistributionRequest { Id = id, IfMatch = current.ETag!, DistributionConfig = config with { Enabled = false } });
        Assert.NotEqual(current.ETag, disabled.ETag);
        await PollAsync(async () => (await cloudFront.GetDistributionAsync(new GetDistributionRequest { Id = id })).Distribution!.Status == "Deployed");
        var latest = await cloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = id });
        await cloudFront.DeleteDistributionAsync(new DeleteDistributionRequest { Id = id, IfMatch = latest.ETag! });
    }

    [Fact]
    public async Task Rds_clusters_pass_through_creating()
    {
        using var realism = new AwsChaosHandler(new AwsChaosEngine("realism=on"));
        using var host = new AwsTestHost(moto, faults: realism);
        var rds = Members.In(host).Rds;
        await rds.CreateDBClusterAsync(new CreateDBClusterRequest
        {
            DBClusterIdentifier = "shop-db", Engine = "aurora-postgresql", MasterUsername = "app", ManageMasterUserPassword = true, StorageEncrypted = true,
            ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfiguration { MinCapacity = 0.5, MaxCapacity = 2 },
        });
        var statuses = new List<string?>();
        await PollAsync(async () =>
        {
            var status = Assert.Single((await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = "shop-db" })).DBClusters).Status;
            statuses.Add(status);
            return status == "available";
        });
        Assert.Equal("creating", statuses[0]);
    }

    /// <summary>Polls until true (the realism machines count reads, not time); returns the number of reads.</summary>
    private static async Task<int> PollAsync(Func<Task<bool>> done)
    {
        for (var reads = 1; reads <= 20; reads++)
        {
            if (await done())
            {
                return reads;
            }
        }

        throw new TimeoutException("The realism state machine did not converge in 20 reads.");
    }
}
