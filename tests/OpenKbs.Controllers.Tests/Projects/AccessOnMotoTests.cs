using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// The issue-14 proof on the operator side (docs/access.md, "Tests"): the steps deploy a project with API keys against moto
/// (with the sandbox realism); the access function's code and environment are then taken from Lambda as deployed (GetFunction:
/// the environment, the CodeSha256 and the code location; moto's location is not downloadable, so the object it names is read
/// from the project bucket and must hash to CodeSha256) and its handler runs with Node.js against the same moto, as its own
/// execution role (STS AssumeRole). The current key gets a token that .NET's RSA verifies with the public key of the function's
/// own JWKS (KMS GetPublicKey); a wrong key gets 401; after a new version the rotated-out key gets 401 and the new one a token. A Function URL opened behind the operator's back
/// (AuthType NONE) is put back to AWS_IAM on the next pass.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccessOnMotoTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    private static readonly string AccessDirectory = FindAccessDirectory();

    [SkippableFact]
    public async Task The_deployed_access_function_issues_tokens_dotnet_RSA_verifies_and_refuses_wrong_and_rotated_keys()
    {
        Skip.If(!Directory.Exists(Path.Combine(AccessDirectory, "node_modules", "@aws-sdk", "client-kms")),
            "src/OpenKbs.Access/node_modules is missing (make access-test installs it: npm ci)");
        var clock = Stopwatch.StartNew();
        var spec = ProjectFixtures.Spec() with { Access = new AccessSpec { TokenLifetimeSeconds = 600 } };
        using var h = await ProjectStepHarness.StartAsync(moto, sandbox, spec);
        var (artifact, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", artifact, sha);

        var outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        var access = h.Project.Status!.Access!;
        var functionName = AccessNames.Function(h.Names);
        Assert.Equal(functionName, access.FunctionName);

        // The signing key: RSA_2048, SIGN_VERIFY, enabled, the project's tags; the Function URL: IAM auth; the layer published once.
        var key = (await h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = AccessNames.SigningKeyAlias(h.Names) })).KeyMetadata!;
        Assert.Equal(("RSA_2048", "SIGN_VERIFY", "Enabled", access.SigningKeyId), (key.KeySpec, key.KeyUsage, key.KeyState, key.KeyId));
        var keyTags = (await h.Member.Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.Arn! })).Tags;
        Assert.Contains(keyTags, t => t.TagKey == OpenKbs.Api.Labels.Uid && t.TagValue == h.Project.Metadata.Uid);
        Assert.Equal("AWS_IAM", (await h.Member.Lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = functionName })).AuthType);
        Assert.Single((await h.Member.Lambda.ListLayerVersionsAsync(new ListLayerVersionsRequest { LayerName = AccessNames.Layer(h.Names) })).LayerVersions);
        var policy = (await h.Member.Iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = AccessNames.Role(h.Names), PolicyName = AccessNames.RolePolicy })).PolicyDocument!;
        Assert.Contains("kms:Sign", policy, StringComparison.Ordinal);
        var clientRole = (await h.Member.Iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = h.Names.ExecutionRole, PolicyName = Controllers.Projects.ProjectNames.ExecutionRolePolicy })).PolicyDocument!;
        Assert.DoesNotContain("kms:Sign", clientRole, StringComparison.Ordinal); // client code cannot mint tokens

        var first = await KeyAsync(h);
        var wrong = first[..^1] + (first.EndsWith('A') ? 'B' : 'A');
        var answers = await RunDeployedAsync(h, [Token(first), Token(wrong), Jwks()]);
        Assert.Equal(200, (int)answers[0]!["statusCode"]!);
        Assert.Equal((401, """{"error":"invalid credentials"}"""), ((int)answers[1]!["statusCode"]!, (string)answers[1]!["body"]!));
        var token = (string)JsonNode.Parse((string)answers[0]!["body"]!)!["access_token"]!;
        var claims = Verify(token, JsonNode.Parse((string)answers[2]!["body"]!)!, key.KeyId!);
        Assert.Equal($"urn:openkbs:project:{h.Project.Metadata.Uid}", (string)claims["aud"]!);
        Assert.Equal(("partner", "orders:read"), ((string)claims["sub"]!, (string)claims["scope"]!));
        Assert.Equal(600, (long)claims["exp"]! - (long)claims["iat"]!);

        // A new version rotates the keys: the function's environment changes; the old key is refused, the new one gets a token.
        var (artifact2, sha2) = await h.UploadArtifactAsync("1.0.1", "export const handler = async () => ({ statusCode: 201 });");
        h.Deploy("1.0.1", artifact2, sha2);
        outcomes = await h.ConvergeAsync(maxPasses: 30, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        var second = await KeyAsync(h);
        Assert.NotEqual(first, second);
        answers = await RunDeployedAsync(h, [Token(first), Token(second), Jwks()]);
        Assert.Equal(401, (int)answers[0]!["statusCode"]!);
        Assert.Equal(200, (int)answers[1]!["statusCode"]!);
        Verify((string)JsonNode.Parse((string)answers[1]!["body"]!)!["access_token"]!, JsonNode.Parse((string)answers[2]!["body"]!)!, key.KeyId!);
        Assert.Single((await h.Member.Lambda.ListLayerVersionsAsync(new ListLayerVersionsRequest { LayerName = AccessNames.Layer(h.Names) })).LayerVersions);

        // The drift check of the access step alone: reads only.
        var audited = h.Audit.Records.Count;
        var requests = h.Log.Operations.Count;
        var drift = await h.PassAsync(h.StepsWithAccess);
        Assert.All(drift.Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));
        output.WriteLine($"drift check (storage .. api keys with access): {h.Log.Operations.Count - requests} AWS requests, all reads");

        // Drift: the Function URL opened to the public (AuthType NONE) behind the operator's back is put back to AWS_IAM.
        await h.Member.Lambda.UpdateFunctionUrlConfigAsync(new UpdateFunctionUrlConfigRequest { FunctionName = functionName, AuthType = "NONE" });
        await h.PassAsync(h.StepsWithAccess);
        Assert.Equal("AWS_IAM", (await h.Member.Lambda.GetFunctionUrlConfigAsync(new GetFunctionUrlConfigRequest { FunctionName = functionName })).AuthType);
        Assert.Contains(h.Events, e => e.Contains("put back to AWS_IAM", StringComparison.Ordinal));
        output.WriteLine($"whole test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [SkippableFact]
    public async Task With_mqtt_the_IoT_role_allows_only_the_topic_prefix_and_the_deployed_function_presigns_a_15_minute_wss_url()
    {
        Skip.If(!Directory.Exists(Path.Combine(AccessDirectory, "node_modules", "@aws-sdk", "client-kms")),
            "src/OpenKbs.Access/node_modules is missing (make access-test installs it: npm ci)");
        var spec = ProjectFixtures.Spec() with
        {
            ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }, new ApiKeySpec { Name = "device", Permissions = ["mqtt:connect"] }],
            Access = new AccessSpec { Mqtt = new MqttSpec { Enabled = true } },
        };
        using var h = await ProjectStepHarness.StartAsync(moto, sandbox, spec);
        var (artifact, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", artifact, sha);
        var outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));

        // The IoT role: trusted by the access role only, exactly one inline policy (the topic prefix), nothing attached.
        var endpoint = h.Project.Status!.Access!.MqttEndpoint;
        Assert.Matches(@"^[a-z0-9]+-ats\.iot\.eu-central-1\.amazonaws\.com$", endpoint);
        var iotRoleName = AccessNames.IotRole(h.Names);
        var iotRole = (await h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = iotRoleName })).Role!;
        var accessRole = (await h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = AccessNames.Role(h.Names) })).Role!;
        var trust = JsonNode.Parse(Uri.UnescapeDataString(iotRole.AssumeRolePolicyDocument!))!["Statement"]!.AsArray();
        Assert.Equal(accessRole.Arn, (string)Assert.Single(trust)!["Principal"]!["AWS"]!);
        Assert.Equal([AccessNames.IotRolePolicy], (await h.Member.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = iotRoleName })).PolicyNames);
        Assert.Empty((await h.Member.Iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = iotRoleName })).AttachedPolicies);
        var prefix = AccessNames.TopicPrefix(h.Names);
        Assert.Equal($"openkbs/{h.Names.Base(40)}-{h.Names.Hash}/", prefix);
        var iot = $"arn:aws:iot:{ProjectStepHarness.Region}:{h.Member.AccountId}";
        var statements = JsonNode.Parse(Uri.UnescapeDataString((await h.Member.Iam.GetRolePolicyAsync(
            new GetRolePolicyRequest { RoleName = iotRoleName, PolicyName = AccessNames.IotRolePolicy })).PolicyDocument!))!["Statement"]!.AsArray();
        var grants = statements.SelectMany(s => Strings(s!["Action"]!).Select(a => (a, (string)s["Resource"]!))).OrderBy(g => g.a, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("iot:Connect", $"{iot}:client/okbs-{h.Names.Hash}-*"), ("iot:Publish", $"{iot}:topic/{prefix}*"), ("iot:Receive", $"{iot}:topic/{prefix}*"), ("iot:Subscribe", $"{iot}:topicfilter/{prefix}*")],
            grants);
        Assert.All(statements, s => Assert.Equal("Allow", (string)s!["Effect"]!));

        // The access role may assume exactly that role; the function's environment names the endpoint, the role and the prefix.
        var accessPolicy = JsonNode.Parse(Uri.UnescapeDataString((await h.Member.Iam.GetRolePolicyAsync(
            new GetRolePolicyRequest { RoleName = AccessNames.Role(h.Names), PolicyName = AccessNames.RolePolicy })).PolicyDocument!))!["Statement"]!.AsArray();
        var assume = Assert.Single(accessPolicy, s => Strings(s!["Action"]!).Contains("sts:AssumeRole"))!;
        Assert.Equal(iotRole.Arn, (string)assume["Resource"]!);
        var variables = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = AccessNames.Function(h.Names) })).Configuration!.Environment!.Variables!;
        Assert.Equal((endpoint, iotRole.Arn, prefix), (variables["OPENKBS_IOT_ENDPOINT"], variables["OPENKBS_IOT_ROLE_ARN"], variables["OPENKBS_IOT_TOPIC_PREFIX"]));
        Assert.Equal($"okbs-{h.Names.Hash}-", variables["OPENKBS_IOT_CLIENT_ID_PREFIX"]);

        // The client-id prefix is the project's: another project (other uid) in the same account gets another one, and neither
        // role's Connect grant covers the other's client ids.
        var other = Controllers.Projects.ProjectNames.For(h.Namespace, "shop", Guid.NewGuid().ToString());
        Assert.NotEqual(AccessNames.ClientIdPrefix(h.Names), AccessNames.ClientIdPrefix(other));
        Assert.False(AccessNames.ClientIdPrefix(other).StartsWith(AccessNames.ClientIdPrefix(h.Names), StringComparison.Ordinal));

        // The deployed function: a device token with mqtt:connect gets a presigned wss URL for that endpoint from 900 s credentials;
        // a token without the scope gets 403, no token 401.
        var device = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!.Keys["device"];
        var partner = await KeyAsync(h);
        var tokens = await RunDeployedAsync(h, [Token(device), Token(partner)]);
        var deviceToken = (string)JsonNode.Parse((string)tokens[0]!["body"]!)!["access_token"]!;
        var partnerToken = (string)JsonNode.Parse((string)tokens[1]!["body"]!)!["access_token"]!;
        var asked = DateTimeOffset.UtcNow;
        var answers = await RunDeployedAsync(h, [Mqtt(deviceToken), Mqtt(partnerToken), Mqtt(null)]);
        Assert.Equal((200, 403, 401), ((int)answers[0]!["statusCode"]!, (int)answers[1]!["statusCode"]!, (int)answers[2]!["statusCode"]!));
        var body = JsonNode.Parse((string)answers[0]!["body"]!)!;
        var url = new Uri((string)body["url"]!);
        Assert.Equal(("wss", endpoint, "/mqtt"), (url.Scheme, url.Host, url.AbsolutePath));
        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        Assert.InRange(int.Parse(query["X-Amz-Expires"], System.Globalization.CultureInfo.InvariantCulture), 1, 900);
        Assert.Equal("AWS4-HMAC-SHA256", query["X-Amz-Algorithm"]);
        Assert.EndsWith($"/{ProjectStepHarness.Region}/iotdevicegateway/aws4_request", query["X-Amz-Credential"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(query["X-Amz-Security-Token"])); // session credentials, not the role's own keys
        var expires = DateTimeOffset.Parse((string)body["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - asked, TimeSpan.FromSeconds(800), TimeSpan.FromSeconds(960)); // the 900 s AssumeRole
        Assert.Equal((prefix, $"okbs-{h.Names.Hash}-device-"), ((string)body["topic_prefix"]!, (string)body["client_id_prefix"]!));
        Assert.StartsWith(AccessNames.ClientIdPrefix(h.Names), (string)body["client_id_prefix"]!, StringComparison.Ordinal); // within the role's Connect grant

        // The drift check with MQTT costs reads only (the endpoint is kept in status: no IoT call).
        var audited = h.Audit.Records.Count;
        var requests = h.Log.Operations.Count;
        await h.PassAsync(h.StepsWithAccess);
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));
        Assert.DoesNotContain(h.Log.Operations.Skip(requests), o => o.Contains("DescribeEndpoint", StringComparison.Ordinal));

        // MQTT off: the role goes, the variables go, the access role may assume nothing, the endpoint leaves status.
        h.Project.Spec = h.Project.Spec with { Access = new AccessSpec { Mqtt = new MqttSpec { Enabled = false } } };
        outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        var gone = await Assert.ThrowsAsync<OpenKbs.Aws.Core.AwsServiceException>(() => h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = iotRoleName }));
        Assert.True(gone.IsNotFound);
        Assert.Null(h.Project.Status!.Access!.MqttEndpoint);
        variables = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = AccessNames.Function(h.Names) })).Configuration!.Environment!.Variables!;
        Assert.DoesNotContain(variables.Keys, k => k.StartsWith("OPENKBS_IOT_", StringComparison.Ordinal));
        var offPolicy = (await h.Member.Iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = AccessNames.Role(h.Names), PolicyName = AccessNames.RolePolicy })).PolicyDocument!;
        Assert.DoesNotContain("sts:AssumeRole", Uri.UnescapeDataString(offPolicy), StringComparison.Ordinal);
        answers = await RunDeployedAsync(h, [Mqtt(deviceToken)]);
        Assert.Equal(404, (int)answers[0]!["statusCode"]!);

        // MQTT on again, then the Project deleted (policy Delete): the IoT role goes with the access role.
        h.Project.Spec = h.Project.Spec with { Access = new AccessSpec { Mqtt = new MqttSpec { Enabled = true } } };
        outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.NotNull(h.Project.Status!.Access!.MqttEndpoint); // read again (moto answers a new host per call; AWS the same one)
        Assert.NotNull((await h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = iotRoleName })).Role);
        var (finalized, _) = await h.FinalizeAsync(h.StepsWithAccess().OfType<AccessStep>().Single(), ProjectDeletionPolicy.Delete);
        Assert.True(finalized.IsReady, finalized.ToString());
        foreach (var name in new[] { iotRoleName, AccessNames.Role(h.Names) })
        {
            Assert.True((await Assert.ThrowsAsync<OpenKbs.Aws.Core.AwsServiceException>(() => h.Member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = name }))).IsNotFound);
        }

        // Every call on and off (IoT role, DescribeEndpoint, deletion) is granted by the member access role's policy (docs/iam).
        Assert.Contains(h.Calls.Calls, c => c.Action == "iot:DescribeEndpoint" && c.AccountId is not null);
        var denied = h.Calls.NotGranted(AwsHost.Actor);
        Assert.True(denied.Count == 0, string.Join("\n", denied));
    }

    [SkippableFact]
    public async Task Signing_key_rotation_keeps_the_previous_key_in_the_jwks_until_its_tokens_expired_then_schedules_its_deletion()
    {
        Skip.If(!Directory.Exists(Path.Combine(AccessDirectory, "node_modules", "@aws-sdk", "client-kms")),
            "src/OpenKbs.Access/node_modules is missing (make access-test installs it: npm ci)");
        var spec = ProjectFixtures.Spec() with { Access = new AccessSpec { TokenLifetimeSeconds = 600, SigningKeyRotationDays = 30 } };
        using var h = await ProjectStepHarness.StartAsync(moto, sandbox, spec);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        h.Clock = time;
        var (artifact, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", artifact, sha);
        var outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        var access = h.Project.Status!.Access!;
        var first = access.SigningKeyId!;
        Assert.NotNull(access.SigningKeyRotatedAt);
        Assert.Null(access.PreviousSigningKeyId);
        var functionName = AccessNames.Function(h.Names);
        var partner = await KeyAsync(h);
        var answers = await RunDeployedAsync(h, [Token(partner)]);
        var before = (string)JsonNode.Parse((string)answers[0]!["body"]!)!["access_token"]!; // signed by the first key

        // 29 days: nothing due, a pass is reads only.
        time.Advance(TimeSpan.FromDays(29));
        var audited = h.Audit.Records.Count;
        await h.PassAsync(h.StepsWithAccess);
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));
        Assert.Equal(first, h.Project.Status!.Access!.SigningKeyId);

        // 30 days after the first key: a new key signs, the previous stays published (env, role: GetPublicKey only) and enabled.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var rotatedFrom = time.GetUtcNow();
        outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        access = h.Project.Status!.Access!;
        var second = access.SigningKeyId!;
        Assert.NotEqual(first, second);
        Assert.Equal(first, access.PreviousSigningKeyId);
        Assert.InRange(access.SigningKeyRotatedAt!.Value, rotatedFrom.UtcDateTime.AddSeconds(-1), rotatedFrom.UtcDateTime.AddSeconds(1));
        // Set once the function signed with the new key: the grace counts from then.
        Assert.InRange(access.PreviousSigningKeyRetiresAt!.Value, (rotatedFrom + SigningKeys.Grace).UtcDateTime.AddSeconds(-1), (rotatedFrom + SigningKeys.Grace).UtcDateTime.AddSeconds(1));
        Assert.Equal(second, (await h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = AccessNames.SigningKeyAlias(h.Names) })).KeyMetadata!.KeyId);
        var previousKey = (await h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = AccessNames.PreviousSigningKeyAlias(h.Names) })).KeyMetadata!;
        Assert.Equal((first, "Enabled"), (previousKey.KeyId, previousKey.KeyState));
        var variables = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = functionName })).Configuration!.Environment!.Variables!;
        Assert.EndsWith("/" + second, variables[AccessRendering.SigningKeyVariable], StringComparison.Ordinal);
        Assert.Equal(previousKey.Arn, variables[AccessRendering.PreviousSigningKeyVariable]);
        var statements = await AccessRoleStatementsAsync(h);
        Assert.Equal(["kms:GetPublicKey"], Strings(statements.Single(s => (string)s!["Resource"]! == previousKey.Arn)!["Action"]!));
        Assert.DoesNotContain(statements, s => Strings(s!["Action"]!).Contains("kms:Sign") && (string)s["Resource"]! == previousKey.Arn);

        // The deployed function: the token signed before the rotation verifies with the JWKS; a new token carries the new kid.
        answers = await RunDeployedAsync(h, [Token(partner), Jwks()]);
        var jwks = JsonNode.Parse((string)answers[1]!["body"]!)!;
        Assert.Equal([second, first], jwks["keys"]!.AsArray().Select(k => (string)k!["kid"]!));
        Verify(before, jwks, first);
        Verify((string)JsonNode.Parse((string)answers[0]!["body"]!)!["access_token"]!, jwks, second);

        // During the grace period a pass is reads only.
        time.Advance(TimeSpan.FromMinutes(10));
        audited = h.Audit.Records.Count;
        await h.PassAsync(h.StepsWithAccess);
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));

        // After the grace: the previous key leaves the function's environment and the JWKS, then its deletion is scheduled
        // (30 days, restorable), its alias and the role's grant go. No other key of the project was made.
        time.Advance(SigningKeys.Grace);
        outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        access = h.Project.Status!.Access!;
        Assert.Equal((second, (string?)null, (DateTime?)null), (access.SigningKeyId, access.PreviousSigningKeyId, access.PreviousSigningKeyRetiresAt));
        var retired = (await h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = first })).KeyMetadata!;
        Assert.Equal("PendingDeletion", retired.KeyState);
        Assert.InRange(retired.DeletionDate!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(31));
        Assert.True((await Assert.ThrowsAsync<OpenKbs.Aws.Core.AwsServiceException>(() =>
            h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = AccessNames.PreviousSigningKeyAlias(h.Names) }))).IsNotFound);
        variables = (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = functionName })).Configuration!.Environment!.Variables!;
        Assert.False(variables.ContainsKey(AccessRendering.PreviousSigningKeyVariable));
        Assert.DoesNotContain(await AccessRoleStatementsAsync(h), s => (string)s!["Resource"]! == retired.Arn);
        answers = await RunDeployedAsync(h, [Jwks()]);
        Assert.Equal([second], JsonNode.Parse((string)answers[0]!["body"]!)!["keys"]!.AsArray().Select(k => (string)k!["kid"]!));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), (await SigningKeysOfAsync(h)).Order(StringComparer.Ordinal));

        audited = h.Audit.Records.Count;
        await h.PassAsync(h.StepsWithAccess);
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));

        // A pass that stopped right after CreateKey (before any alias named the new key): the next rotation adopts that key, found
        // by its tags, and makes no other one.
        var interrupted = (await h.Member.Kms.CreateKeyAsync(new CreateKeyRequest
        {
            Description = "made by an interrupted rotation",
            KeySpec = "RSA_2048",
            KeyUsage = "SIGN_VERIFY",
            Tags = [new OpenKbs.Aws.Kms.Model.Tag { TagKey = OpenKbs.Api.Labels.Uid, TagValue = h.Project.Metadata.Uid }],
        })).KeyMetadata!.KeyId!;
        time.Advance(TimeSpan.FromDays(31));
        outcomes = await h.ConvergeAsync(maxPasses: 20, h.StepsWithAccess);
        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.Equal((interrupted, second), (h.Project.Status!.Access!.SigningKeyId, h.Project.Status.Access.PreviousSigningKeyId));
        Assert.Equal(3, (await SigningKeysOfAsync(h)).Count);

        var denied = h.Calls.NotGranted(AwsHost.Actor);
        Assert.True(denied.Count == 0, string.Join("\n", denied));
    }

    /// <summary>The SIGN_VERIFY keys in the account tagged with the project's uid (any state).</summary>
    private static async Task<List<string>> SigningKeysOfAsync(ProjectStepHarness h)
    {
        var found = new List<string>();
        foreach (var entry in (await h.Member.Kms.ListKeysAsync(new ListKeysRequest())).Keys)
        {
            var key = (await h.Member.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = entry.KeyId! })).KeyMetadata!;
            if (key.KeyUsage == "SIGN_VERIFY" && (await h.Member.Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.Arn! })).Tags
                .Any(t => t.TagKey == OpenKbs.Api.Labels.Uid && t.TagValue == h.Project.Metadata.Uid))
            {
                found.Add(key.KeyId!);
            }
        }

        return found;
    }

    private static async Task<JsonArray> AccessRoleStatementsAsync(ProjectStepHarness h) =>
        JsonNode.Parse(Uri.UnescapeDataString((await h.Member.Iam.GetRolePolicyAsync(
            new GetRolePolicyRequest { RoleName = AccessNames.Role(h.Names), PolicyName = AccessNames.RolePolicy })).PolicyDocument!))!["Statement"]!.AsArray();

    private static JsonObject Mqtt(string? token) =>
        Call("POST", "/auth/mqtt", token is null ? [] : new JsonObject { ["authorization"] = $"Bearer {token}" });

    private static IEnumerable<string> Strings(JsonNode node) =>
        node is JsonArray array ? array.Select(a => (string)a!) : [(string)node!];

    private static JsonObject Token(string apiKey) => Call("POST", "/auth/token", new JsonObject { ["x-api-key"] = apiKey });

    private static JsonObject Jwks() => Call("GET", "/auth/jwks.json", []);

    private static JsonObject Call(string method, string path, JsonObject headers) =>
        new() { ["rawPath"] = path, ["headers"] = headers, ["requestContext"] = new JsonObject { ["http"] = new JsonObject { ["method"] = method } } };

    /// <summary>The plaintext key "partner" as handed over in the Secret.</summary>
    private static async Task<string> KeyAsync(ProjectStepHarness h) =>
        (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!.Keys["partner"];

    /// <summary>
    /// Takes the access function from Lambda (GetFunction), checks the code against CodeSha256, unpacks it and runs its handler with
    /// node for <paramref name="events"/>, with the deployed environment, as the function's execution role, against moto.
    /// </summary>
    private async Task<JsonArray> RunDeployedAsync(ProjectStepHarness h, JsonObject[] events)
    {
        var function = await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = AccessNames.Function(h.Names) });
        var location = new Uri(function.Code!.Location!);
        using var got = await h.Member.S3.GetObjectAsync(new GetObjectRequest { BucketName = h.Names.Bucket, Key = location.AbsolutePath.TrimStart('/') });
        using var zip = new MemoryStream();
        await got.ResponseStream.CopyToAsync(zip);
        Assert.Equal(function.Configuration!.CodeSha256, Convert.ToBase64String(SHA256.HashData(zip.ToArray())));
        var code = Directory.CreateTempSubdirectory("okbs-access-");
        try
        {
            zip.Position = 0;
            await ZipFile.ExtractToDirectoryAsync(zip, code.FullName);
            var environment = new JsonObject();
            foreach (var (name, value) in function.Configuration.Environment!.Variables!)
            {
                environment[name] = value;
            }

            var input = new JsonObject
            {
                ["code"] = code.FullName,
                ["roleArn"] = function.Configuration.Role,
                ["environment"] = environment,
                ["events"] = new JsonArray([.. events]),
            };
            return JsonNode.Parse(await NodeAsync(input.ToJsonString()))!.AsArray();
        }
        finally
        {
            code.Delete(recursive: true);
        }
    }

    private async Task<string> NodeAsync(string input)
    {
        // The driver assumes the function's role (moto maps the session to the client account), sets the deployed environment,
        // then loads the deployed index.js. NODE_PATH stands in for the nodejs24.x runtime's own AWS SDK; @openkbs/auth comes
        // from the deployed zip itself.
        const string driver = """
            const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
            const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
            (async () => {
              const { Credentials: c } = await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: input.roleArn, RoleSessionName: 'access-proof', DurationSeconds: 900 }));
              Object.assign(process.env, input.environment, { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken });
              const access = require(require('node:path').join(input.code, 'index.js'));
              const answers = [];
              for (const event of input.events) answers.push(await access.handler(event));
              process.stdout.write(JSON.stringify(answers));
            })().catch((e) => { console.error(e); process.exit(1); });
            """;
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(driver);
        start.Environment["NODE_PATH"] = Path.Combine(AccessDirectory, "node_modules");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString().TrimEnd('/');
        start.Environment["AWS_REGION"] = ProjectStepHarness.Region;
        start.Environment["AWS_ACCESS_KEY_ID"] = moto.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = moto.SecretAccessKey;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        output.WriteLine($"node: {(await stderr).Trim()}");
        return await stdout;
    }

    /// <summary>Verifies an RS256 token with .NET's RSA and the JWKS key its kid names (which must be <paramref name="keyId"/>); a tampered copy must fail.</summary>
    private static JsonNode Verify(string token, JsonNode jwks, string keyId)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(FromBase64Url(parts[0]))!;
        Assert.Equal(("RS256", keyId), ((string)header["alg"]!, (string)header["kid"]!));
        var jwk = jwks["keys"]!.AsArray().Single(k => (string)k!["kid"]! == keyId)!;
        using var rsa = RSA.Create(new RSAParameters { Modulus = FromBase64Url((string)jwk["n"]!), Exponent = FromBase64Url((string)jwk["e"]!) });
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = FromBase64Url(parts[2]);
        Assert.True(rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        signed[^1] ^= 1;
        Assert.False(rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return JsonNode.Parse(FromBase64Url(parts[1]))!;
    }

    private static byte[] FromBase64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4));

    private static string FindAccessDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "src", "OpenKbs.Access", "package.json")))
            {
                return Path.Combine(dir.FullName, "src", "OpenKbs.Access");
            }
        }

        throw new InvalidOperationException("src/OpenKbs.Access not found above " + AppContext.BaseDirectory);
    }
}
