using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// All twelve steps in recipe order (<see cref="ProjectSteps"/>) against moto with the sandbox realism, on the storage/functions
/// harness: the cross-step agreements hold (database statements in the execution role, sealed connection details in the functions,
/// the distribution's OAC grant in the bucket policy, schedules targeting the real functions) and a drift check of the whole
/// project costs reads only.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AllStepsOnMotoTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task A_full_project_converges_with_the_cross_step_agreements_and_a_drift_check_costs_reads_only()
    {
        using var h = await ProjectStepHarness.StartFullProjectAsync(moto, sandbox);
        IReadOnlyList<IProjectStep> All() => h.AllSteps();

        var last = await h.ConvergeAsync(maxPasses: 40, All);

        Assert.DoesNotContain(last.Values, o => o.Kind == StepOutcomeKind.Terminal);
        Assert.True(last.Count == 12 && last.Values.All(o => o.IsReady), string.Join("; ", last.Select(o => $"{o.Key}: {o.Value}")));
        var member = h.Member;
        var cluster = h.Project.Status!.Database!;
        var distribution = h.Project.Status.Cdn!.DistributionId!;

        // Database -> execution role (secret and Data API on exactly this cluster) and functions (sealed connection details).
        var rolePolicy = (await member.Iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = h.Names.ExecutionRole, PolicyName = ProjectNames.ExecutionRolePolicy })).PolicyDocument!;
        Assert.Contains("ReadDatabaseSecret", rolePolicy, StringComparison.Ordinal);
        Assert.Contains($":cluster:{cluster.ClusterIdentifier}", rolePolicy, StringComparison.Ordinal);
        var environment = (await member.Lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = h.Names.Function("api") })).Environment!.Variables!;
        Assert.Contains(DatabaseRendering.SettingName, environment.Keys);
        Assert.DoesNotContain(cluster.Endpoint!, environment[DatabaseRendering.SettingName], StringComparison.Ordinal); // sealed, not plaintext

        // CDN -> the bucket policy grants exactly this distribution read access (storage step, next pass).
        var bucketPolicy = (await member.S3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = h.Names.Bucket })).Policy!;
        Assert.Contains($"distribution/{distribution}", bucketPolicy, StringComparison.Ordinal);

        // Access -> CDN: /auth/* goes to the access function's URL through an origin access control of type lambda, and the
        // function's resource policy lets exactly this distribution call the URL.
        var config = (await member.CloudFront.GetDistributionAsync(new GetDistributionRequest { Id = distribution })).Distribution!.DistributionConfig!;
        var functionUrl = h.Project.Status.Access!.FunctionUrl!;
        var auth = Assert.Single(config.CacheBehaviors!.Items!);
        Assert.Equal(("/auth/*", "https-only"), (auth.PathPattern, auth.ViewerProtocolPolicy));
        var origin = Assert.Single(config.Origins!.Items!, o => o.Id == auth.TargetOriginId);
        Assert.Equal(new Uri(functionUrl).Host, origin.DomainName);
        var oacs = (await member.CloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest())).OriginAccessControlList!.Items!;
        Assert.Contains(oacs, o => o.OriginAccessControlOriginType == "lambda" && o.Name == CdnRendering.FunctionOriginAccessControl(h.Names).Name);
        var functionPolicy = (await member.Lambda.GetPolicyAsync(new OpenKbs.Aws.Lambda.Model.GetPolicyRequest { FunctionName = AccessNames.Function(h.Names) })).Policy!;
        Assert.Contains($"distribution/{distribution}", functionPolicy, StringComparison.Ordinal);
        Assert.Contains("lambda:InvokeFunctionUrl", functionPolicy, StringComparison.Ordinal);

        // Functions -> schedules target the real function.
        var fn1 = (await member.Lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = h.Names.Function("fn1") })).FunctionArn;
        Assert.Equal(fn1, (await member.Scheduler.GetScheduleAsync(new GetScheduleRequest { Name = "nightly", GroupName = h.Names.ScheduleGroup })).Target!.Arn);
        Assert.NotNull(h.Project.Status.Usage);

        // The drift check of the whole project: reads only.
        var audited = h.Audit.Records.Count;
        var requests = h.Log.Operations.Count;
        var drift = await h.PassAsync(All);
        Assert.All(drift, o => Assert.True(o.Value.IsReady, $"{o.Key}: {o.Value}"));
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));
        var reads = h.Log.Operations.Skip(requests).ToList();
        output.WriteLine($"steady-state drift check (all steps: 2 functions, database, CDN, 1 schedule): {reads.Count} AWS requests: {string.Join(", ", reads)}");
        Assert.InRange(reads.Count, 1, 47); // docs/performance.md: 40 + the CDN log bucket's 7 settings
    }

}
