using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Controllers.Tests.Projects;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.Shared;

/// <summary>
/// Every AWS call of a full Project (all ten steps on moto, then a drift pass) needs only actions the generated policy of its
/// account grants (docs/iam): member calls the member access role's, management calls (artifact reads, AssumeRole) the management's.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class IamPolicyCoverageTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task Every_call_of_a_full_project_is_granted_by_the_policy_of_its_account()
    {
        using var h = await ProjectStepHarness.StartFullProjectAsync(moto, sandbox);
        var setup = h.Calls.Calls.Count;

        var last = await h.ConvergeAsync(maxPasses: 40, h.AllSteps);
        await h.PassAsync(h.AllSteps);

        Assert.True(last.Values.All(o => o.IsReady), string.Join("; ", last.Select(o => $"{o.Key}: {o.Value}")));
        var calls = h.Calls.Calls.Skip(setup).Where(c => c.Actor != AwsHost.Actor).ToList();
        Assert.Contains(calls, c => c.AccountId is null);
        Assert.Contains(calls, c => c.AccountId is not null);
        Assert.Contains(calls, c => c.Action == "sts:AssumeRole" && c.AccountId is null);
        Assert.Contains(calls, c => c.Action == "s3:GetObject" && c.AccountId is null);
        Assert.All(new[] { "lambda:CreateFunction", "rds:CreateDBCluster", "cloudfront:CreateDistributionWithTags", "scheduler:CreateSchedule", "kms:CreateKey" }, a => Assert.Contains(calls, c => c.Action == a));
        Assert.True(calls.Count(c => c.AccountId is not null && c.Resource?.StartsWith("arn:", StringComparison.Ordinal) == true) > 20, "member calls naming an ARN are checked on their resource too");
        var denied = h.Calls.NotGranted(AwsHost.Actor);
        Assert.True(denied.Count == 0, string.Join("\n", denied));

        // The report of grants this run did not use (deletion, drift repair, transfer and AuditRun paths call them).
        var used = calls.SelectMany(c => c.IamActions).ToHashSet(StringComparer.Ordinal);
        var member = OperatorPermissions.MemberPolicy().Actions;
        output.WriteLine($"{calls.Count} calls; member grants not used here: {string.Join(", ", member.Where(a => !used.Contains(a)).Order(StringComparer.Ordinal))}");
    }

    [Fact]
    public void A_call_outside_the_policy_of_its_account_is_named()
    {
        var recorder = new AwsCallRecorder();
        var actor = AwsActor.System("iam-check");
        recorder.OnCall(new AwsCall { AccountId = null, Region = "eu-central-1", Action = "organizations:CreateAccount", IamActions = ["organizations:CreateAccount"], GlobalService = false, Actor = actor });
        recorder.OnCall(new AwsCall { AccountId = "111122223333", Region = "eu-central-1", Action = "organizations:CreateAccount", IamActions = ["organizations:CreateAccount"], GlobalService = false, Actor = actor });
        recorder.OnCall(new AwsCall { AccountId = "111122223333", Region = "eu-central-1", Action = "iam:CreateUser", IamActions = ["iam:CreateUser"], GlobalService = false, Actor = actor });
        recorder.OnCall(new AwsCall { AccountId = "111122223333", Region = "eu-central-1", Action = "s3:PutBucketPolicy", IamActions = ["s3:PutBucketPolicy"], GlobalService = false, Actor = actor, Resource = "arn:aws:s3:::client-own-bucket" });
        recorder.OnCall(new AwsCall { AccountId = "111122223333", Region = "eu-central-1", Action = "s3:PutBucketPolicy", IamActions = ["s3:PutBucketPolicy"], GlobalService = false, Actor = actor, Resource = "arn:aws:s3:::okbs-shop-1" });

        Assert.Equal(
            ["member iam:CreateUser needs iam:CreateUser", "member organizations:CreateAccount needs organizations:CreateAccount", "member s3:PutBucketPolicy needs s3:PutBucketPolicy on arn:aws:s3:::client-own-bucket"],
            recorder.NotGranted());
        Assert.Empty(recorder.NotGranted(actor));
    }
}
