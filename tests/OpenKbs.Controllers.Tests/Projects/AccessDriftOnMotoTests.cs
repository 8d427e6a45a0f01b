using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// Drift around the access function against moto: each field <see cref="AccessDelta"/> (and the access role's <c>RoleDelta</c>) names
/// is changed behind the operator's back, one at a time; the next pass puts it back, says so in a DriftCorrected event and in the
/// step's message, and once the project converged again a pass finds nothing to put back (reads only).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccessDriftOnMotoTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    private const string Distribution = "E2DRIFT00001";

    [Fact]
    public async Task Each_field_changed_behind_the_operators_back_is_put_back_and_reported()
    {
        using var h = await ProjectStepHarness.StartAsync(moto, sandbox, ProjectFixtures.Spec());
        var (artifact, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", artifact, sha);
        var outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));

        // A distribution in status (the CDN step records it): the resource policy lets exactly that one call the URL. The grant is
        // a creation, not drift, and recorded in status.access.cloudFrontPermissionSourceArn.
        h.Project.Status!.Cdn = new CdnStatus { DistributionId = Distribution };
        outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.DoesNotContain(h.Events, e => e.Contains(ProjectReasons.DriftCorrected, StringComparison.Ordinal) && e.Contains("access function", StringComparison.Ordinal));
        var functionName = AccessNames.Function(h.Names);
        var lambda = h.Member.Lambda;
        var sourceArn = $"arn:aws:cloudfront::{h.AccountId}:distribution/{Distribution}";
        Assert.Contains(sourceArn, await PolicyAsync(h), StringComparison.Ordinal);
        var access = h.Project.Status.Access!;
        var signingKeyArn = (await h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = access.SigningKeyId! })).KeyMetadata!.Arn!;

        // The Function URL opened to everyone.
        await DriftAsync(h, "function URL auth type NONE put back to AWS_IAM",
            () => lambda.UpdateFunctionUrlConfigAsync(new UpdateFunctionUrlConfigRequest { FunctionName = functionName, AuthType = "NONE" }));
        Assert.Equal("AWS_IAM", (await lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = functionName })).AuthType);

        // The Function URL removed: created again (the CDN routes /auth/* to it), with IAM auth, and recorded.
        await DriftAsync(h, "function URL was removed: created again with AWS_IAM auth",
            () => lambda.DeleteFunctionUrlConfigAsync(new DeleteFunctionUrlConfigRequest { FunctionName = functionName }));
        var url = await lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = functionName });
        Assert.Equal(("AWS_IAM", url.FunctionUrl), (url.AuthType, h.Project.Status.Access!.FunctionUrl));

        // The CloudFront statement removed from the resource policy: status remembers the distribution it was granted to, so the
        // missing statement is drift, granted again (AddPermission in the audit trail) and reported like every other path.
        Assert.Equal(sourceArn, h.Project.Status.Access!.CloudFrontPermissionSourceArn);
        var audited = h.Audit.Records.Count;
        await DriftAsync(h, $"resource policy statement {AccessRendering.CloudFrontStatement} was removed: granted again",
            () => lambda.RemovePermissionAsync(new RemovePermissionRequest { FunctionName = functionName, StatementId = AccessRendering.CloudFrontStatement }));
        Assert.Contains(sourceArn, await PolicyAsync(h), StringComparison.Ordinal);
        Assert.Contains(h.Audit.Records.Skip(audited), r => r.Action == "lambda:AddPermission");

        // The statement replaced by one for another distribution: removed and added again for the project's own.
        await DriftAsync(h, "resource policy statement openkbs-cloudfront put back", async () =>
        {
            await lambda.RemovePermissionAsync(new RemovePermissionRequest { FunctionName = functionName, StatementId = AccessRendering.CloudFrontStatement });
            await lambda.AddPermissionAsync(new AddPermissionRequest
            {
                FunctionName = functionName,
                StatementId = AccessRendering.CloudFrontStatement,
                Action = "lambda:InvokeFunctionUrl",
                Principal = "cloudfront.amazonaws.com",
                SourceArn = $"arn:aws:cloudfront::{h.AccountId}:distribution/E2SOMEONEELSE",
            });
        });
        var policy = await PolicyAsync(h);
        Assert.Contains(sourceArn, policy, StringComparison.Ordinal);
        Assert.DoesNotContain("E2SOMEONEELSE", policy, StringComparison.Ordinal);

        // The signing key's owner tag overwritten.
        await DriftAsync(h, $"owner tags of signing key {access.SigningKeyId} put back",
            () => h.Member.Kms.TagResourceAsync(new OpenKbs.Aws.Kms.Model.TagResourceRequest
            {
                KeyId = signingKeyArn,
                Tags = [new OpenKbs.Aws.Kms.Model.Tag { TagKey = Labels.Owner, TagValue = "someone/else" }],
            }));
        var keyTags = (await h.Member.Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = signingKeyArn })).Tags;
        Assert.Contains(keyTags, t => t.TagKey == Labels.Owner && t.TagValue == OwnershipTags.For(h.Project)[Labels.Owner]);

        // The signing key's policy opened to every principal: the rendered policy (only the account administers and uses the key) is put back.
        await DriftAsync(h, $"key policy of signing key {access.SigningKeyId} put back",
            () => h.Member.Kms.PutKeyPolicyAsync(new PutKeyPolicyRequest
            {
                KeyId = signingKeyArn,
                Policy = """{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}""",
            }));
        var keyPolicy = (await h.Member.Kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = signingKeyArn })).Policy;
        Assert.True(OpenKbs.Controllers.Projects.PolicyDocuments.Equivalent(keyPolicy, AccessRendering.SigningKeyPolicy(h.AccountId)), keyPolicy);
        Assert.Contains(h.Audit.Records, r => r.Action == "kms:PutKeyPolicy" && r.Resource == signingKeyArn);

        // The access role trusted by another service, then given a second inline policy: least privilege is put back.
        var role = AccessNames.Role(h.Names);
        await DriftAsync(h, $"role {role} put back (trust policy)",
            () => h.Member.Iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest
            {
                RoleName = role,
                PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
            }));
        Assert.Contains("lambda.amazonaws.com", Uri.UnescapeDataString((await h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = role })).Role!.AssumeRolePolicyDocument!), StringComparison.Ordinal);
        await DriftAsync(h, $"role {role} put back (inline policy everything removed)",
            () => h.Member.Iam.PutRolePolicyAsync(new PutRolePolicyRequest
            {
                RoleName = role,
                PolicyName = "everything",
                PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
            }));
        Assert.Equal([AccessNames.RolePolicy], (await h.Member.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = role })).PolicyNames);

        // A newer layer version that is not the operator's helper: the helper is published again and becomes the newest.
        var before = h.Project.Status.Access!.LayerVersionArn;
        await DriftAsync(h, "is not the operator's helper; published again",
            () => lambda.PublishLayerVersionAsync(new PublishLayerVersionRequest
            {
                LayerName = AccessNames.Layer(h.Names),
                Description = "someone else's layer",
                Content = new LayerVersionContentInput { ZipFile = AccessBundle.Current.LayerZip },
                CompatibleRuntimes = [LambdaRuntimes.NodeJs24],
            }));
        var versions = (await lambda.ListLayerVersionsAsync(new ListLayerVersionsRequest { LayerName = AccessNames.Layer(h.Names) })).LayerVersions;
        var newest = versions.OrderByDescending(v => v.Version).First();
        Assert.Equal((AccessRendering.LayerDescription(AccessBundle.Current.LayerSha256), newest.LayerVersionArn), (newest.Description, h.Project.Status.Access!.LayerVersionArn));
        Assert.NotEqual(before, newest.LayerVersionArn);

        var denied = h.Calls.NotGranted(AwsHost.Actor);
        Assert.True(denied.Count == 0, string.Join("\n", denied));
    }

    /// <summary>
    /// Makes <paramref name="change"/> behind the operator's back, runs one pass and expects the access step Ready with
    /// <paramref name="expected"/> in its message and in a DriftCorrected event; once converged again, a pass is reads only and reports nothing.
    /// </summary>
    private async Task DriftAsync(ProjectStepHarness h, string expected, Func<Task> change)
    {
        await change();
        var events = h.Events.Count;
        var outcome = (await h.PassAsync(h.StepsWithAccess))["access"];
        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
        var reported = h.Events.Skip(events).Where(e => e.Contains(ProjectReasons.DriftCorrected, StringComparison.Ordinal)).ToList();
        Assert.Contains(reported, e => e.Contains(expected, StringComparison.Ordinal));
        output.WriteLine(Assert.Single(reported));

        // The client functions follow a republished layer in later passes; once every step is Ready, a pass is reads only.
        Assert.All((await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess)).Values, o => Assert.True(o.IsReady, o.ToString()));
        events = h.Events.Count;
        var audited = h.Audit.Records.Count;
        var outcomes = await h.PassAsync(h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.DoesNotContain("drift repaired", outcomes["access"].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Events.Skip(events), e => e.Contains(ProjectReasons.DriftCorrected, StringComparison.Ordinal) || e.Contains("_access", StringComparison.Ordinal));
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));
    }

    private static async Task<string> PolicyAsync(ProjectStepHarness h) =>
        (await h.Member.Lambda.GetPolicyAsync(new OpenKbs.Aws.Lambda.Model.GetPolicyRequest { FunctionName = AccessNames.Function(h.Names) })).Policy!;
}
