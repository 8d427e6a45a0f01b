using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
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
        using var recorder = new AwsCallRecorder();
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

    /// <summary>
    /// The recorder judges a KMS key operation on the aliases the key had when the call was sent (read from moto, as KMS reads
    /// kms:ResourceAliases): retiring a key behind <c>…-signing-previous</c> with the 30-day window is granted, the same calls on the
    /// project's data key or with a shorter window are named. Fails when the alias or window condition is dropped from the policy.
    /// </summary>
    [Fact]
    public async Task Key_destroying_calls_are_judged_on_the_aliases_the_key_had_when_they_were_sent()
    {
        using var aws = new AwsHost(moto.Endpoint);
        var actor = AwsActor.System("iam-kms-check");
        var account = $"7{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}";
        var kms = aws.Factory.ForAccount(account, "OrganizationAccountAccessRole", ProjectStepHarness.Region, actor).Kms;
        const string DataAlias = "alias/openkbs/acme-shop-1a2b3c4d";
        const string RetiringAlias = "alias/openkbs/acme-shop-1a2b3c4d-signing-previous";
        var data = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "data" })).KeyMetadata!;
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = DataAlias, TargetKeyId = data.KeyId! });
        var retiring = await SigningKeyAsync(kms, RetiringAlias);

        // The rotation's order: the deletion while the alias still names the key, then the alias.
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = retiring.KeyId!, PendingWindowInDays = OperatorPermissions.KeyDeletionWindowDays });
        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = RetiringAlias });
        Assert.Contains(aws.Calls.Calls, c => c.Action == "kms:ScheduleKeyDeletion" && c.AccountId == account);
        Assert.Empty(aws.Calls.NotGranted(AwsHost.Actor));

        // Outside: the data key, a retiring key with the shortest window, and a deletion after its alias was gone.
        var late = await SigningKeyAsync(kms, "alias/openkbs/acme-blog-5e6f7a8b-signing-previous");
        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/openkbs/acme-blog-5e6f7a8b-signing-previous" });
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = late.KeyId!, PendingWindowInDays = 30 });
        var hurried = await SigningKeyAsync(kms, "alias/openkbs/acme-cms-9a8b7c6d-signing-previous");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = hurried.KeyId!, PendingWindowInDays = 7 });
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = data.KeyId!, PendingWindowInDays = 30 });
        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = DataAlias });

        var arn = $"arn:aws:kms:{ProjectStepHarness.Region}:{account}";
        Assert.Equal(
            new[]
            {
                $"member kms:DeleteAlias needs kms:DeleteAlias on {arn}:{DataAlias}",
                $"member kms:DeleteAlias needs kms:DeleteAlias on {data.Arn} (kms:ResourceAliases: {DataAlias})",
                $"member kms:ScheduleKeyDeletion needs kms:ScheduleKeyDeletion on {data.Arn} (kms:ResourceAliases: {DataAlias})",
                $"member kms:ScheduleKeyDeletion needs kms:ScheduleKeyDeletion on {hurried.Arn} (kms:ResourceAliases: alias/openkbs/acme-cms-9a8b7c6d-signing-previous)",
                $"member kms:ScheduleKeyDeletion needs kms:ScheduleKeyDeletion on {late.Arn} (kms:ResourceAliases: none)",
            }.Order(StringComparer.Ordinal),
            aws.Calls.NotGranted(AwsHost.Actor));
    }

    [Fact]
    public void The_policys_alias_pattern_and_window_are_the_ones_the_access_component_uses()
    {
        var names = ProjectNames.For("tenants", "shop", "0b7c2a6e-5d4f-4c3b-9a1e-8f7d6c5b4a39");
        Assert.Matches(Pattern(OperatorPermissions.RetiringKeyAliasPattern), AccessNames.PreviousSigningKeyAlias(names));
        Assert.DoesNotMatch(Pattern(OperatorPermissions.RetiringKeyAliasPattern), AccessNames.SigningKeyAlias(names));
        Assert.DoesNotMatch(Pattern(OperatorPermissions.RetiringKeyAliasPattern), names.KeyAlias);
        Assert.Equal(OperatorPermissions.KeyDeletionWindowDays, SigningKeys.PendingWindowDays);

        static string Pattern(string iam) => "^" + System.Text.RegularExpressions.Regex.Escape(iam).Replace(@"\*", ".*", StringComparison.Ordinal) + "$";
    }

    private static async Task<KeyMetadata> SigningKeyAsync(OpenKbs.Aws.Kms.IKmsClient kms, string alias)
    {
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "signing", KeySpec = "RSA_2048", KeyUsage = "SIGN_VERIFY" })).KeyMetadata!;
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId! });
        return key;
    }

    /// <summary>
    /// Management calls are judged by resource too: the ids an Organizations call names become the ARNs IAM sees (with the
    /// organization moto holds), AssumeRole is judged on the role it assumes. Assuming another role than the member access role,
    /// detaching the AWS managed FullAWSAccess and acting on a policy of another type are named; the operator's own kinds of
    /// calls pass.
    /// </summary>
    [Fact]
    public async Task Management_calls_are_judged_on_the_resources_they_name()
    {
        using var aws = new AwsHost(moto.Endpoint);
        var actor = AwsActor.System("iam-management-check");
        var organizations = aws.Factory.ForManagement(actor).Organizations;
        try
        {
            await aws.Organizations.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" }); // the test's own setup
        }
        catch (OpenKbs.Aws.Core.AwsServiceException ex) when (ex.ErrorCode == "AlreadyInOrganizationException")
        {
        }

        var root = (await organizations.ListRootsAsync(new ListRootsRequest())).Roots.Single();
        var account = $"6{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}";

        // Through the layer: a member session under the access role is granted, one under another role name is not.
        await aws.Factory.ForAccount(account, "OrganizationAccountAccessRole", ProjectStepHarness.Region, actor).Kms.ListAliasesAsync(new ListAliasesRequest());
        await aws.Factory.ForAccount(account, "Admin", ProjectStepHarness.Region, actor).Kms.ListAliasesAsync(new ListAliasesRequest());
        await organizations.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = root.Id!, Filter = "SERVICE_CONTROL_POLICY" });
        await organizations.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = "p-FullAWSAccess" });

        // Calls the operator never makes, recorded as the layer would see them (not sent: moto's organization is shared).
        Record(aws.Calls, actor, "organizations:DetachPolicy", ["p-FullAWSAccess", root.Id!]);
        Record(aws.Calls, actor, "organizations:AttachPolicy", ["p-FullAWSAccess", root.Id!]);
        Record(aws.Calls, actor, "organizations:CloseAccount", [account]);

        var (organization, managementAccount) = (root.Arn!.Split('/')[1], root.Arn!.Split(':')[4]);
        Assert.Equal(
            new[]
            {
                "management organizations:AttachPolicy needs organizations:AttachPolicy on arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
                "management organizations:DetachPolicy needs organizations:DetachPolicy on arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
                $"management sts:AssumeRole needs sts:AssumeRole on arn:aws:iam::{account}:role/Admin",
            }.Order(StringComparer.Ordinal),
            aws.Calls.NotGranted(AwsHost.Actor));
        Assert.Contains(aws.Calls.Calls, c => c.Action == "organizations:CloseAccount" && c.Targets.SequenceEqual([account]));
        Assert.StartsWith($"arn:aws:organizations::{managementAccount}:root/{organization}/r-", root.Arn, StringComparison.Ordinal);
    }

    private static void Record(AwsCallRecorder recorder, AwsActor actor, string action, IReadOnlyList<string> targets) =>
        recorder.OnCall(new AwsCall { AccountId = null, Region = "us-east-1", Action = action, IamActions = [action], GlobalService = true, Actor = actor, Targets = targets });
}
