using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.ExecutionRole;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Controllers.Projects.Components.Storage;

namespace OpenKbs.Controllers.Tests.Shared;

/// <summary>
/// Every AWS document the controllers render, compared with its file in <c>Golden/</c>. A change in rendering fails here;
/// when the change is intended, run with <c>OPENKBS_UPDATE_GOLDEN=1</c> to rewrite the files and review the diff.
/// </summary>
public sealed class GoldenDocumentsTests
{
    private const string Account = "123456789012";
    private const string Region = "eu-central-1";
    private const string KeyArn = "arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-0000-0000-000000000001";
    private static readonly ProjectNames Names = ProjectNames.For("tenants", "shop", "0b0c0d0e-0000-4000-8000-000000000001");

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal) { ["openkbs.com/owner"] = "tenants/shop", ["openkbs.com/uid"] = "0b0c0d0e-0000-4000-8000-000000000001" };

    public static TheoryData<string> Documents => [.. Renderings.Keys];

    private static readonly Dictionary<string, Func<string>> Renderings = new(StringComparer.Ordinal)
    {
        ["storage-key-policy"] = () => StorageRendering.KeyPolicy(Account),
        ["storage-bucket-policy"] = () => StorageRendering.BucketPolicy(Names.Bucket, Account, distributionId: null),
        ["storage-bucket-policy-with-cdn"] = () => StorageRendering.BucketPolicy(Names.Bucket, Account, "E2EXAMPLE0001"),
        ["storage-lifecycle"] = () => Serialize(StorageRendering.Lifecycle(30)),
        ["storage-lifecycle-no-retention"] = () => Serialize(StorageRendering.Lifecycle(null)),
        ["execution-role-trust"] = ExecutionRoleRendering.TrustPolicy,
        ["execution-role-policy"] = () => ExecutionRoleRendering.Policy(Names, Account, Region, KeyArn, []),
        ["schedules-role-trust"] = () => ScheduleRendering.TrustPolicy(Account),
        ["schedules-role-policy"] = () => ScheduleRendering.RolePolicy([$"arn:aws:lambda:{Region}:{Account}:function:{Names.FunctionPrefix}fn1"]),
        ["schedules-target"] = ScheduleTarget,
        ["cdn-origin-access-control"] = () => Serialize(CdnRendering.OriginAccessControl(Names)),
        ["cdn-distribution-config"] = () => Serialize(CdnRendering.Desired(Names, new CdnSpec { Enabled = true }, Names.Bucket, Region, "E2OAC0001")),
        ["database-cluster"] = () => Serialize(DatabaseRendering.CreateCluster(Names, new DatabaseSpec { Enabled = true }, KeyArn, Tags)),
        ["database-writer"] = () => Serialize(DatabaseRendering.CreateWriter(Names, Tags)),
        ["database-standby"] = () => Serialize(DatabaseMembers.CreateStandby(Names, Names.DatabaseStandbyInstance, "eu-central-1b", Tags)),
        ["database-role-statements"] = () => "[" + string.Join(",", DatabaseRendering.RoleStatements(new OpenKbs.Aws.Rds.Model.DBCluster
        {
            DBClusterArn = $"arn:aws:rds:{Region}:{Account}:cluster:{Names.DatabaseCluster}",
            MasterUserSecret = new OpenKbs.Aws.Rds.Model.MasterUserSecret { SecretArn = $"arn:aws:secretsmanager:{Region}:{Account}:secret:rds!cluster-0000-AbCdEf" },
        })) + "]",
        ["guardrail-region-scp"] = () => RegionGuardPolicy.For(["eu-central-1", "eu-west-1"]).Content,
        ["access-signing-key-policy"] = () => AccessRendering.SigningKeyPolicy(Account),
        ["access-role-trust"] = AccessRendering.TrustPolicy,
        ["access-role-policy"] = () => AccessRendering.RolePolicy(Names, Account, Region, KeyArn, SigningKeyArn),
        ["access-role-policy-rotation-mqtt"] = () => AccessRendering.RolePolicy(Names, Account, Region, KeyArn, SigningKeyArn, PreviousSigningKeyArn, IotRoleArn),
        ["access-iot-role-trust"] = () => AccessRendering.IotTrustPolicy($"arn:aws:iam::{Account}:role/{AccessNames.Role(Names)}"),
        ["access-iot-role-policy"] = () => AccessRendering.IotRolePolicy(Names, Account, Region),
        ["access-cloudfront-permission"] = () => Serialize(AccessRendering.CloudFrontPermission(Account, "E2EXAMPLE0001")),
        ["access-function-config"] = () => Serialize(AccessFunction(mqtt: null, previous: null)),
        ["access-function-config-rotation-mqtt"] = () => Serialize(AccessFunction(new MqttTarget("a1b2c3-ats.iot.eu-central-1.amazonaws.com", IotRoleArn), PreviousSigningKeyArn)),
    };

    private const string SigningKeyArn = "arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-0000-0000-000000000002";
    private const string PreviousSigningKeyArn = "arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-0000-0000-000000000003";
    private static string IotRoleArn => $"arn:aws:iam::{Account}:role/{AccessNames.IotRole(Names)}";

    [Theory]
    [MemberData(nameof(Documents))]
    public void Rendering_matches_its_golden_file(string document)
    {
        var rendered = Normalize(Renderings[document]());
        var path = Path.Combine(GoldenDirectory(), document + ".json");
        if (Environment.GetEnvironmentVariable("OPENKBS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, rendered);
        }

        Assert.True(File.Exists(path), $"no golden file {path}: run with OPENKBS_UPDATE_GOLDEN=1 to write it, then review it");
        Assert.Equal(File.ReadAllText(path), rendered);
    }

    private static string ScheduleTarget()
    {
        var desired = ScheduleRendering.Desired(
            Names.ScheduleGroup,
            new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "fn1" },
            $"arn:aws:lambda:{Region}:{Account}:function:{Names.FunctionPrefix}fn1",
            $"arn:aws:iam::{Account}:role/scheduler");
        return Serialize(new
        {
            desired.Name,
            desired.GroupName,
            desired.ScheduleExpression,
            desired.ScheduleExpressionTimezone,
            FlexibleTimeWindow = new { desired.FlexibleTimeWindow.Mode, desired.FlexibleTimeWindow.MaximumWindowInMinutes },
            Target = new { desired.Target.Arn, desired.Target.RoleArn, desired.Target.Input, desired.Target.RetryPolicy, desired.Target.DeadLetterConfig },
            desired.State,
            desired.Description,
        });
    }

    /// <summary>The access function as the functions component converges it, for a project with one API key and a 600 s token lifetime.</summary>
    private static object AccessFunction(MqttTarget? mqtt, string? previous)
    {
        var project = new Project
        {
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "tenants", Uid = Names.Uid, Generation = 1 },
            Spec = new ProjectSpec
            {
                ClientAccountRef = new LocalObjectReference { Name = "acme" },
                Version = "1.0.0",
                ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }],
                Access = new AccessSpec { TokenLifetimeSeconds = 600 },
            },
        };
        var context = new ProjectContext(project, Projects.ProjectFixtures.ReadyAccount("acme", Account), new RenderingOnly(), null!, new ProjectOptions(), TimeProvider.System, (_, _, _) => { }, null!);
        var code = new ArtifactLocation { Bucket = Names.Bucket, Key = AccessNames.CodeKey("0123abcd"), VersionId = "v1", Sha256 = "0123abcd" };
        var desired = AccessRendering.Function(
            context, $"arn:aws:iam::{Account}:role/{AccessNames.Role(Names)}", new SigningTarget(SigningKeyArn, previous), code,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["OPENKBS_API_KEYS"] = "digest-of-the-sealed-hashes" }, mqtt);
        return new
        {
            desired.FunctionName,
            desired.Runtime,
            desired.Handler,
            desired.MemorySize,
            desired.Timeout,
            desired.Role,
            desired.Description,
            Environment = new SortedDictionary<string, string>(desired.Environment.ToDictionary(e => e.Key, e => e.Value), StringComparer.Ordinal),
            desired.SealedVariables,
            desired.Layers,
            Code = new { desired.Code.Bucket, desired.Code.Key, desired.Code.VersionId },
        };
    }

    /// <summary>The account and region a rendering reads from the context; rendering makes no AWS call, so every client throws.</summary>
    private sealed class RenderingOnly : IMemberAccountClients
    {
        public string AccountId => Account;

        public string Region => GoldenDocumentsTests.Region;

        public Aws.Iam.IIamClient Iam => throw NoCalls();

        public Aws.Lambda.ILambdaClient Lambda => throw NoCalls();

        public Aws.Rds.IRdsClient Rds => throw NoCalls();

        public Aws.CloudFront.ICloudFrontClient CloudFront => throw NoCalls();

        public Aws.Scheduler.ISchedulerClient Scheduler => throw NoCalls();

        public Aws.IoT.IIotClient IoT => throw NoCalls();

        public Aws.CloudWatch.ICloudWatchClient CloudWatch => throw NoCalls();

        public Aws.S3.IS3Client S3 => throw NoCalls();

        public Aws.Kms.IKmsClient Kms => throw NoCalls();

        public Aws.Sts.IStsClient Sts => throw NoCalls();

        private static InvalidOperationException NoCalls() => new("a rendering made an AWS call");
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Pretty);

    private static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Pretty) + "\n";

    private static string GoldenDirectory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source)!)!, "Golden");
}
