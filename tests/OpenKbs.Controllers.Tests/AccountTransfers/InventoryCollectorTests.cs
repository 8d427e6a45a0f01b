using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.AccountTransfers.Inventory;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Tests.Projects;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.AccountTransfers;

/// <summary>
/// The inventory of a real project's account (all ten Project steps converged on moto with the sandbox realism): what the
/// collector reads matches what AWS holds, and a new object version afterwards is more, not a difference.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class InventoryCollectorTests(MotoServerFixture moto, CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task The_inventory_of_a_deployed_project_lists_its_functions_bucket_cluster_distribution_schedule_and_key()
    {
        using var h = await ProjectStepHarness.StartFullProjectAsync(moto, sandbox);
        var last = await h.ConvergeAsync(maxPasses: 40, h.AllSteps);
        Assert.True(last.Values.All(o => o.IsReady), string.Join("; ", last.Select(o => $"{o.Key}: {o.Value}")));
        var bucket = h.Project.Status!.Storage!.BucketName!;
        var initial = (await InventoryCollector.CollectAsync(h.Member, [bucket], DateTimeOffset.UtcNow, CancellationToken.None)).Buckets.Single();
        await h.Member.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "orders/1.json", ContentBody = "{\"v\":1}"u8.ToArray() });
        await h.Member.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "orders/1.json", ContentBody = "{\"v\":2}"u8.ToArray() });
        var audited = h.Audit.Records.Count;

        var before = await InventoryCollector.CollectAsync(h.Member, [bucket], DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(h.AccountId, before.AccountId);
        Assert.Equal(ProjectStepHarness.Region, before.Region);
        var api = (await h.Member.Lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = h.Names.Function("api") })).CodeSha256;
        Assert.Contains(before.Functions, f => f.Name == h.Names.Function("api") && f.CodeSha256 == api && !string.IsNullOrEmpty(api));
        Assert.Contains(before.Functions, f => f.Name == h.Names.Function("fn1"));
        var counted = Assert.Single(before.Buckets);
        Assert.Equal((bucket, initial.Objects + 1, initial.Versions + 2), (counted.Name, counted.Objects, counted.Versions));
        Assert.Contains(before.DatabaseClusters, c => c.Identifier == h.Project.Status.Database!.ClusterIdentifier && c.Status == "available");
        Assert.Contains(before.Distributions, d => d.Id == h.Project.Status.Cdn!.DistributionId);
        Assert.Contains(before.Schedules, s => s.Name == "nightly" && s.Group == h.Names.ScheduleGroup);
        Assert.NotEmpty(before.Keys);
        Assert.DoesNotContain(before.Keys, k => k.Alias.StartsWith("alias/aws/", StringComparison.Ordinal));
        Assert.Equal(audited, h.Audit.Records.Count); // reads only: nothing audited

        await h.Member.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "orders/2.json", ContentBody = "{\"v\":1}"u8.ToArray() });
        var after = await InventoryCollector.CollectAsync(h.Member, [bucket], DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal((counted.Objects + 1, counted.Versions + 1), (after.Buckets[0].Objects, after.Buckets[0].Versions));
        var comparison = InventoryComparison.Of(before, after);
        Assert.True(comparison.Matches, string.Join("; ", comparison.Differences));
    }

}
