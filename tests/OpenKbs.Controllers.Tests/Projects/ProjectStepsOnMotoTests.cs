using System.Text;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Crypto;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>Storage, artifact, execution role, functions and API keys against moto (with the sandbox's AWS realism).</summary>
[Collection(MotoCollection.Name)]
public sealed class ProjectStepsOnMotoTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task First_deployment_builds_everything_and_a_drift_check_costs_reads_only()
    {
        using var h = await StartAsync();

        var outcomes = await h.ConvergeAsync();

        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        var s3 = h.Member.S3;
        var bucket = h.Names.Bucket;
        Assert.Equal("Enabled", (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).Status);
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket });
        Assert.Equal("aws:kms", encryption.SSEAlgorithm);
        Assert.Equal(h.Project.Status!.Storage!.KmsKeyArn, encryption.KMSMasterKeyID);
        Assert.Equal(StorageRendering.PublicAccessBlock, (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration);
        Assert.Contains("\"aws:SecureTransport\":\"false\"", (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket })).Policy, StringComparison.Ordinal);
        Assert.Equal(30, (await s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = bucket })).Rules.Single().NoncurrentDays);
        var copy = await s3.HeadObjectAsync(new HeadObjectRequest { BucketName = bucket, Key = ProjectNames.ArtifactKey(h.Project.Spec.Source!.Sha256) });
        Assert.Equal(h.Project.Spec.Source.Sha256, copy.Metadata[ArtifactStep.Sha256Metadata]);

        var function = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = h.Names.Function("api") })).Configuration!;
        Assert.Equal("nodejs24.x", function.Runtime);
        Assert.Equal(h.Names.ExecutionRole, function.Role!.Split('/')[^1]);
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(h.Project.Spec.Source.Sha256)), function.CodeSha256);
        Assert.Equal("2/2", h.Project.Status.FunctionsReady);

        // Least privilege: one inline policy, nothing attached, trusted by Lambda only.
        var iam = h.Member.Iam;
        Assert.Equal([ProjectNames.ExecutionRolePolicy], (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = h.Names.ExecutionRole })).PolicyNames);
        Assert.Empty((await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = h.Names.ExecutionRole })).AttachedPolicies);

        // The drift check of an unchanged project: reads only (no audited AWS change, no Secret write).
        var auditBefore = h.Audit.Records.Count;
        var requestsBefore = h.Log.Operations.Count;
        var secretBefore = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!.ResourceVersion;
        var drift = await h.PassAsync();
        Assert.All(drift.Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.Empty(h.Audit.Records.Skip(auditBefore).Select(r => r.Action));
        Assert.Equal(secretBefore, (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!.ResourceVersion);
        var reads = h.Log.Operations.Skip(requestsBefore).ToList();
        output.WriteLine($"steady-state drift check (storage, artifact, role, keys, 2 functions): {reads.Count} AWS requests: {string.Join(", ", reads)}");
        Assert.InRange(reads.Count, 1, 30);
    }

    [Fact]
    public async Task Drift_behind_the_operators_back_is_put_back()
    {
        using var h = await StartAsync();
        await h.ConvergeAsync();
        var bucket = h.Names.Bucket;
        await h.Member.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, Status = "Suspended" });
        await h.Member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = StorageRendering.PublicAccessBlock with { BlockPublicPolicy = false },
        });
        await h.Member.Lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = h.Names.Function("api"), MemorySize = 1024 });
        await h.Member.Iam.PutRolePolicyAsync(new PutRolePolicyRequest
        {
            RoleName = h.Names.ExecutionRole,
            PolicyName = "too-much",
            PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
        });

        await h.ConvergeAsync();

        Assert.Equal("Enabled", (await h.Member.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).Status);
        Assert.Equal(StorageRendering.PublicAccessBlock, (await h.Member.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration);
        Assert.Equal(128, (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = h.Names.Function("api") })).Configuration!.MemorySize);
        Assert.Equal([ProjectNames.ExecutionRolePolicy], (await h.Member.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = h.Names.ExecutionRole })).PolicyNames);
        Assert.Contains(h.Events, e => e.Contains(ProjectReasons.DriftCorrected, StringComparison.Ordinal) && e.Contains("Versioning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_version_updates_code_rotates_keys_and_the_old_key_is_no_longer_accepted()
    {
        using var h = await StartAsync();
        await h.ConvergeAsync();
        var first = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        var oldKey = first.Keys["partner"];
        Assert.StartsWith(ApiKeyMaterial.Prefix, oldKey, StringComparison.Ordinal);
        Assert.Equal(ApiKeyMaterial.Sha256(oldKey), h.Project.Status!.ApiKeys!.Single().Sha256);
        Assert.Equal([ApiKeyMaterial.Sha256(oldKey)], await AcceptedHashesAsync(h));

        var (key, sha) = await h.UploadArtifactAsync("1.1.0", "export const handler = async () => ({ statusCode: 200, body: 'v2' });");
        h.Deploy("1.1.0", key, sha);
        await h.ConvergeAsync();

        var second = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        var newKey = second.Keys["partner"];
        Assert.NotEqual(oldKey, newKey);
        Assert.Null(second.Staged);
        Assert.Equal(DeploymentIds.For("1.1.0", sha), second.Deployment);
        Assert.Equal([ApiKeyMaterial.Sha256(newKey)], await AcceptedHashesAsync(h));
        Assert.Equal(ApiKeyMaterial.Fingerprint(ApiKeyMaterial.Sha256(newKey)), h.Project.Status.ApiKeys!.Single().Fingerprint);
        var code = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = h.Names.Function("fn1") })).Configuration!.CodeSha256;
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(sha)), code);
        Assert.Contains(h.Events, e => e.Contains(ProjectReasons.KeysHandedOver, StringComparison.Ordinal));
        Assert.Contains(h.Events, e => e.Contains(ProjectReasons.KeysRevoked, StringComparison.Ordinal));

        // Plaintext keys live in the Secret only: never in status, events, logs, audit or the functions' configuration.
        var stored = await h.StoredProjectJsonAsync();
        var configuration = string.Join("\n", (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = h.Names.Function("api") })).Configuration!.Environment!.Variables!.Values);
        foreach (var plaintext in new[] { oldKey, newKey, oldKey[ApiKeyMaterial.Prefix.Length..], newKey[ApiKeyMaterial.Prefix.Length..] })
        {
            Assert.DoesNotContain(plaintext, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Events, e => e.Contains(plaintext, StringComparison.Ordinal));
            Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(plaintext, StringComparison.Ordinal));
            Assert.DoesNotContain(h.Audit.Records, r => r.Details.Values.Any(v => v.Contains(plaintext, StringComparison.Ordinal)));
            Assert.DoesNotContain(plaintext, configuration, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_pass_of_a_rotation_keeps_the_keys_staged_first_and_hands_them_over_once()
    {
        using var h = await StartAsync();
        await h.ConvergeAsync();
        var before = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!.Keys["partner"];
        var (key, sha) = await h.UploadArtifactAsync("1.2.0", "export const handler = async () => ({ statusCode: 204 });");
        h.Deploy("1.2.0", key, sha);

        // Each pass is a fresh context (as after a restart): the first stages, the later ones must reuse that set.
        var first = await h.PassAsync();
        var staged = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        Assert.False(first["api-keys"].IsReady);
        Assert.NotNull(staged.Staged);
        Assert.DoesNotContain(ApiKeyMaterial.Prefix, staged.Staged, StringComparison.Ordinal);
        var context = EnvelopeContext.ForOwner(h.Namespace, Project.KubeKind, h.Project.Metadata.Name, h.Project.Metadata.Uid!, ApiKeyStagingStep.StagedPurpose);
        var stagedKeys = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(await EnvelopeCipher.OpenAsync(h.Member.Kms, staged.Staged!, context))!;
        Assert.Equal(before, staged.Keys["partner"]); // nobody holds the new key yet: the old one is still handed over
        Assert.NotEqual(before, stagedKeys["partner"]);

        await h.ConvergeAsync();

        var handedOver = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        Assert.Equal(stagedKeys["partner"], handedOver.Keys["partner"]);
        Assert.Single(h.Events, e => e.Contains(ProjectReasons.KeysHandedOver, StringComparison.Ordinal) && e.Contains("1.2.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_artifact_whose_sha256_does_not_match_is_terminal_and_nothing_is_deployed()
    {
        using var h = await StartAsync();
        var (key, _) = await h.UploadArtifactAsync("2.0.0", "tampered");
        h.Deploy("2.0.0", key, new string('a', 64));

        var outcomes = await h.ConvergeAsync();

        Assert.Equal(Api.ConditionReasons.TerminalArtifactMismatch, outcomes["artifact"].Reason);
        Assert.False(outcomes.ContainsKey("functions"));
        Assert.DoesNotContain((await h.Member.Lambda.ListFunctionsAsync(new ListFunctionsRequest())).Functions, f => f.FunctionName!.StartsWith(h.Names.FunctionPrefix, StringComparison.Ordinal));
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => h.Member.S3.HeadObjectAsync(new HeadObjectRequest { BucketName = h.Names.Bucket, Key = ProjectNames.ArtifactKey(new string('a', 64)) }));
        Assert.True(missing.IsNotFound);
    }

    [Fact]
    public async Task The_bucket_policy_grants_the_distribution_in_status_read_access_through_oac()
    {
        using var h = await StartAsync(noFunctions: true);
        await h.ConvergeAsync();

        h.Project.Status!.Cdn = new CdnStatus { DistributionId = "E2EXAMPLE" };
        await h.ConvergeAsync();

        var policy = (await h.Member.S3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = h.Names.Bucket })).Policy;
        Assert.True(PolicyDocuments.Equivalent(policy, StorageRendering.BucketPolicy(h.Names.Bucket, h.AccountId, "E2EXAMPLE")));
        Assert.Contains($"arn:aws:cloudfront::{h.AccountId}:distribution/E2EXAMPLE", policy, StringComparison.Ordinal);
    }

    public static TheoryData<ProjectDeletionPolicy, bool, bool> Deletions => new()
    {
        // policy, functions and role remain, bucket remains
        { ProjectDeletionPolicy.Retain, true, true },
        { ProjectDeletionPolicy.Delete, false, true },
    };

    [Theory]
    [MemberData(nameof(Deletions))]
    public async Task Finalization_never_loses_bucket_data(ProjectDeletionPolicy policy, bool computeRemains, bool bucketRemains)
    {
        using var h = await StartAsync();
        await h.ConvergeAsync();
        h.Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 30, 45, TimeSpan.Zero)); // the released tags carry this time

        var outcomes = await h.FinalizeAsync(policy);

        Assert.All(outcomes, o => Assert.True(o.IsReady, o.ToString()));
        var functions = (await h.Member.Lambda.ListFunctionsAsync(new ListFunctionsRequest())).Functions.Where(f => f.FunctionName!.StartsWith(h.Names.FunctionPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(computeRemains ? 2 : 0, functions.Count);
        var role = await RoleOrNullAsync(h);
        Assert.Equal(computeRemains, role is not null);
        var tags = (await h.Member.S3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = h.Names.Bucket })).TagSet;
        Assert.Equal(bucketRemains, tags.Any(t => t.Key == Labels.Released));
        if (computeRemains)
        {
            Assert.Contains(role!.Tags!, t => t.Key == Labels.Released && t.Value == "2026-03-01T12:30:45Z");
            var fn = await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = h.Names.Function("api") });
            Assert.True(fn.Tags!.ContainsKey(Labels.Released));
        }
    }

    [Fact]
    public async Task Retain_tags_the_access_function_released_at_the_time_of_the_pass()
    {
        using var h = await StartAsync();
        var outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        h.Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 30, 45, TimeSpan.Zero));

        var (finalized, _) = await h.FinalizeAsync(h.StepsWithAccess().OfType<AccessStep>().Single(), ProjectDeletionPolicy.Retain);

        Assert.True(finalized.IsReady, finalized.ToString());
        var access = await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = AccessNames.Function(h.Names) });
        Assert.Equal("2026-03-01T12:30:45Z", access.Tags![Labels.Released]);
    }

    private async Task<ProjectStepHarness> StartAsync(bool noFunctions = false)
    {
        var spec = ProjectFixtures.Spec();
        var h = await ProjectStepHarness.StartAsync(moto, sandbox, noFunctions ? spec with { Functions = null, Source = null, ApiKeys = null } : spec);
        if (!noFunctions)
        {
            var (key, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
            h.Deploy("1.0.0", key, sha);
        }

        return h;
    }

    /// <summary>The hashes the functions accept: their sealed OPENKBS_API_KEYS opened with the project key.</summary>
    internal static async Task<IReadOnlyList<string>> AcceptedHashesAsync(ProjectStepHarness h)
    {
        var variables = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = h.Names.Function("api") })).Configuration!.Environment!.Variables!;
        var context = EnvelopeContext.ForOwner(h.Namespace, Project.KubeKind, h.Project.Metadata.Name, h.Project.Metadata.Uid!, ApiKeyPayload.Variable);
        var payload = await EnvelopeCipher.OpenAsync(h.Member.Kms, variables[ApiKeyPayload.Variable], context);
        Assert.DoesNotContain("okbs_", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        return [.. ApiKeyPayload.Parse(payload).Select(k => k.Sha256)];
    }

    private static async Task<Role?> RoleOrNullAsync(ProjectStepHarness h)
    {
        try
        {
            var role = (await h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = h.Names.ExecutionRole })).Role!;
            return role with { Tags = role.Tags ?? (await h.Member.Iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = h.Names.ExecutionRole })).Tags };
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
