using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// The database, CDN and schedules steps under the realism layer plus 20 % throttling, 5 % 5xx and lost answers (half of the
/// failures after AWS acted): every seed converges with exactly one cluster, one writer, one distribution and the spec's schedules.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class Project2StepsUnderFaultsTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The creates whose answer is lost after AWS acted (the pipeline retries 5xx, so AWS sees duplicates too).</summary>
    private const string Creates = "CreateDBCluster+CreateDBInstance+CreateDistributionWithTags+CreateOriginAccessControl+CreateScheduleGroup+CreateSchedule+CreateRole";

    [Theory]
    [InlineData("throttle=0.2,error=0.05,after=0.5,seed=1,services=rds+cloudfront+scheduler+iam")]
    [InlineData("throttle=0.2,error=0.05,after=0.5,seed=7,services=rds+cloudfront+scheduler+iam")]
    [InlineData("error=0.6,after=1,seed=3,operations=" + Creates)]
    public async Task Steps_converge_without_duplicates_under_throttling_errors_and_lost_answers(string faults)
    {
        await moto.ResetAsync();
        var project = ProjectFixtures.Project("shop", s => s with
        {
            Database = new DatabaseSpec { Enabled = true },
            Cdn = new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate },
            Schedules = [new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Function = "api" }],
        });
        var names = ProjectNames.For("tenants", "shop", project.Metadata.Uid!);
        project.Status = new ProjectStatus { Storage = new StorageStatus { BucketName = names.Bucket } };
        string key;
        using (var plain = new ProjectStepHarness(moto, project, chaos: null))
        {
            key = await plain.KeyAsync();
        }

        using var host = new ProjectStepHarness(moto, project, chaos: "realism=on," + faults);
        void Facts(ProjectContext c)
        {
            c.Facts.Add(new StorageFacts(key));
            c.Facts.Add(new FunctionFacts(new Dictionary<string, string> { ["api"] = $"arn:aws:lambda:eu-central-1:123456789012:function:{names.Function("api")}" }, Converged: true));
        }

        foreach (var step in new IProjectStep[]
        {
            ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l)),
            ProjectStepHarness.Step<CdnStep>(l => new CdnStep(l)),
            ProjectStepHarness.Step<SchedulesStep>(l => new SchedulesStep(l)),
        })
        {
            var (outcome, _) = await host.ConvergeAsync(step, Facts, passes: 80, faults: true);
            Assert.True(outcome.IsReady, $"{step.Name}: {outcome}");
        }

        Assert.True(host.Chaos!.TotalFaults >= 3, $"only {host.Chaos.TotalFaults} faults were injected");
        using var check = new ProjectStepHarness(moto, project, chaos: null);
        Assert.Single((await check.Member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest())).DBClusters);
        Assert.Single((await check.Member.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest())).DBInstances);
        Assert.Single((await check.Member.CloudFront.ListDistributionsAsync(new ListDistributionsRequest())).DistributionList!.Items!);
        Assert.Single((await check.Member.CloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest())).OriginAccessControlList!.Items!);
        Assert.Equal(["nightly"], (await check.Member.Scheduler.ListSchedulesAsync(new ListSchedulesRequest { GroupName = names.ScheduleGroup })).Schedules.Select(s => s.Name));
    }

    [Fact]
    public async Task A_lost_create_answer_never_makes_a_second_distribution()
    {
        var project = ProjectFixtures.Project("shop", s => s with { Cdn = new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate } });
        project.Status = new ProjectStatus { Storage = new StorageStatus { BucketName = ProjectNames.For("tenants", "shop", project.Metadata.Uid!).Bucket } };
        using var host = new ProjectStepHarness(moto, project);
        var step = ProjectStepHarness.Step<CdnStep>(l => new CdnStep(l));
        await step.RunAsync(host.Context(), CancellationToken.None);
        var id = project.Status.Cdn!.DistributionId;

        project.Status.Cdn = null; // the checkpoint never reached the API server
        var (outcome, _) = await host.ConvergeAsync(step);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(id, project.Status.Cdn!.DistributionId);
        Assert.Equal(2, host.Log.Count("/2020-05-31/distribution")); // the retried create names the existing one
        Assert.Single((await host.Member.CloudFront.ListDistributionsAsync(new ListDistributionsRequest())).DistributionList!.Items!);
    }
}
