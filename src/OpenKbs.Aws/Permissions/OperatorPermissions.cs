using OpenKbs.Aws.AccountManagement;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Rds;
using OpenKbs.Aws.Regions;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Scheduler;

namespace OpenKbs.Aws.Permissions;

/// <summary>What the generated documents name that only the installation knows (placeholders by default).</summary>
public sealed record IamPolicyOptions
{
    /// <summary>The platform bucket the operator reads artifacts from (<c>Project:ArtifactBucket</c>, spec.source.s3.bucket).</summary>
    public string ArtifactBucket { get; init; } = "<artifact-bucket>";

    /// <summary>
    /// The Object Lock bucket in the management account the audit chains' heads are anchored to (<c>AuditStore:AnchorBucket</c>); the
    /// operator writes new locked checkpoints and lists them, nothing else.
    /// </summary>
    public string AnchorBucket { get; init; } = "<audit-anchor-bucket>";

    /// <summary>The role the operator assumes in member accounts (ClientAccount spec.accessRoleName, default of CreateAccount).</summary>
    public string MemberRoleName { get; init; } = "OrganizationAccountAccessRole";

    /// <summary>The management account (the trust policy's principal).</summary>
    public string ManagementAccountId { get; init; } = "<management-account-id>";

    /// <summary>The operator's role in the management account (the trust policy's principal).</summary>
    public string OperatorRoleName { get; init; } = "openkbs-operator";

    /// <summary>The session name prefix (<c>Aws:SessionNamePrefix</c>); the trust policy admits only sessions named <c>{prefix}-*</c>.</summary>
    public string SessionNamePrefix { get; init; } = "openkbs";

    /// <summary>The regions regional calls may go to (<c>Aws:AllowedRegions</c>); default: every EU member-state region.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [.. EuRegions.MemberStateRegions.Order(StringComparer.Ordinal)];
}

/// <summary>
/// THE list of what the operator calls in AWS, per account, and on which resources: the IAM policies of docs/iam are generated
/// from it (<see cref="ManagementPolicy"/>, <see cref="MemberPolicy"/>, <see cref="MemberTrustPolicy"/>). Each statement names
/// operations (the <see cref="AwsOperation"/> declarations of the clients) and takes from their
/// <see cref="AwsOperation.IamActions"/> the actions of one service; so an action is granted only when an operation the operator
/// calls needs it. Tests prove the list against the code (every client method the controllers call, nothing else) and every call
/// of the operator's suites against the policies (tests/OpenKbs.Controllers.Tests/Shared/IamPolicyTests.cs).
/// Resource names follow the Project's naming (<c>okbs-</c> prefixes, <c>alias/openkbs/</c>; ProjectNames in the controllers).
/// </summary>
public static class OperatorPermissions
{
    /// <summary>The prefix of every bucket, role, cluster, instance, OAC and schedule group the operator names.</summary>
    public const string NamePrefix = "okbs-";

    /// <summary>
    /// The alias a project's signing key carries while it is being retired (the Access component's
    /// <c>alias/openkbs/{project}-{hash}-signing-previous</c>): the only keys whose deletion the member role may schedule.
    /// </summary>
    public const string RetiringKeyAliasPattern = "alias/openkbs/*-signing-previous";

    /// <summary>The alias of the key a project signs with now (<c>alias/openkbs/{project}-{hash}-signing</c>): the only keys whose policy the member role may put back.</summary>
    public const string SigningKeyAliasPattern = "alias/openkbs/*-signing";

    /// <summary>The waiting period of every scheduled key deletion (KMS's longest: the key can be restored for 30 days).</summary>
    public const int KeyDeletionWindowDays = 30;

    /// <summary>The policy of the operator's role in the management account.</summary>
    public static IamPolicy ManagementPolicy(IamPolicyOptions? options = null)
    {
        options ??= new IamPolicyOptions();
        // Organizations: what AWS authorizes without a resource (lists, creations of accounts and policies) on "*"; everything
        // else only on the accounts, OUs, root and service control policies of an organization (ARNs arn:aws:organizations::
        // {management account}:{type}/o-{organization}/...; the organization's id is learned at run time, so o-*). AWS managed
        // policies (FullAWSAccess: arn:aws:organizations::aws:policy/...) only for DescribePolicy (the AuditRun reads every SCP
        // attached to an account), other policy types (tag, backup, AI opt-out) not at all.
        IReadOnlyList<AwsOperation> withoutResource =
        [
            OrganizationsClient.ListRoots, OrganizationsClient.ListAccounts, OrganizationsClient.CreateAccount, OrganizationsClient.DescribeCreateAccountStatus,
            OrganizationsClient.ListCreateAccountStatus, OrganizationsClient.CreatePolicy, OrganizationsClient.ListPolicies,
        ];
        IReadOnlyList<AwsOperation> organizationResources =
        [
            OrganizationsClient.EnablePolicyType, OrganizationsClient.DescribeAccount, OrganizationsClient.ListOrganizationalUnitsForParent,
            OrganizationsClient.CreateOrganizationalUnit, OrganizationsClient.ListParents, OrganizationsClient.MoveAccount,
            OrganizationsClient.DescribePolicy, OrganizationsClient.UpdatePolicy, OrganizationsClient.AttachPolicy, OrganizationsClient.DetachPolicy,
            OrganizationsClient.ListPoliciesForTarget, OrganizationsClient.TagResource, OrganizationsClient.UntagResource, OrganizationsClient.ListTagsForResource,
            OrganizationsClient.CloseAccount, OrganizationsClient.RemoveAccountFromOrganization,

            // Dependent action of a creation with tags: organizations:TagResource on the new account, OU or policy.
            OrganizationsClient.CreateAccount, OrganizationsClient.CreatePolicy,
        ];
        return new IamPolicy(
        [
            Statement(
                "OrganizationsWithoutResource",
                withoutResource,
                "organizations",
                ["*"],
                only: [.. withoutResource.Select(o => $"organizations:{o.Name}")]),
            Statement(
                "OrganizationResources",
                organizationResources,
                "organizations",
                [
                    "arn:aws:organizations::*:account/o-*/*", "arn:aws:organizations::*:ou/o-*/ou-*", "arn:aws:organizations::*:root/o-*/r-*",
                    "arn:aws:organizations::*:policy/o-*/service_control_policy/p-*",
                ],
                only: [.. organizationResources.Where(o => o != OrganizationsClient.CreateAccount && o != OrganizationsClient.CreatePolicy).Select(o => $"organizations:{o.Name}")]),
            Statement(
                "ReadAwsManagedServiceControlPolicies",
                [OrganizationsClient.DescribePolicy],
                "organizations",
                ["arn:aws:organizations::aws:policy/service_control_policy/p-*"]),
            Statement(
                "RootEmailOfMemberAccounts",
                [AccountClient.GetPrimaryEmail, AccountClient.StartPrimaryEmailUpdate, AccountClient.AcceptPrimaryEmailUpdate],
                "account",
                ["arn:aws:account::*:account/o-*/*"]),
            Statement("AssumeMemberAccessRole", [AssumeRoleSessions.AssumeRole], "sts", [$"arn:aws:iam::*:role/{options.MemberRoleName}"]),
            Statement(
                "ReadArtifacts",
                [S3Client.GetObject],
                "s3",
                [$"arn:aws:s3:::{options.ArtifactBucket}/*"],
                Regional(options)),

            // The audit chains' heads (AuditTrail's S3 anchor sink): a new checkpoint object with Object Lock retention (S3 also
            // checks s3:PutObjectRetention for the lock headers), and the listing of checkpoints; the bucket's region and Object Lock
            // checked at start; never delete, never a retention change after the write, never a governance bypass.
            Statement(
                "AnchorAuditChainHeads",
                [S3Client.PutObject, S3Client.ListObjectVersions, S3Client.HeadBucket, S3Client.GetObjectLockConfiguration],
                "s3",
                [$"arn:aws:s3:::{options.AnchorBucket}", $"arn:aws:s3:::{options.AnchorBucket}/*"],
                Regional(options),
                conditional: true),
        ]);
    }

    /// <summary>The policy of the role the operator assumes in every member account (replaces the AdministratorAccess of OrganizationAccountAccessRole).</summary>
    public static IamPolicy MemberPolicy(IamPolicyOptions? options = null)
    {
        options ??= new IamPolicyOptions();
        var regional = Regional(options);
        IReadOnlyList<AwsOperation> roles =
        [
            IamClient.CreateRole, IamClient.GetRole, IamClient.UpdateAssumeRolePolicy, IamClient.DeleteRole,
            IamClient.PutRolePolicy, IamClient.GetRolePolicy, IamClient.DeleteRolePolicy, IamClient.ListRolePolicies,
            IamClient.TagRole, IamClient.UntagRole, IamClient.ListRoleTags, IamClient.DetachRolePolicy, IamClient.ListAttachedRolePolicies,
        ];
        IReadOnlyList<AwsOperation> passRole = [LambdaClient.CreateFunction, LambdaClient.UpdateFunctionConfiguration, SchedulerClient.CreateSchedule, SchedulerClient.UpdateSchedule];
        IReadOnlyList<AwsOperation> functions =
        [
            LambdaClient.CreateFunction, LambdaClient.GetFunction, LambdaClient.UpdateFunctionCode, LambdaClient.UpdateFunctionConfiguration,
            LambdaClient.DeleteFunction, LambdaClient.TagResource, LambdaClient.UntagResource,

            // The project's access function: its Function URL (IAM auth) and the permission for the project's distribution.
            LambdaClient.CreateFunctionUrlConfig, LambdaClient.UpdateFunctionUrlConfig, LambdaClient.DeleteFunctionUrlConfig,
            LambdaClient.AddPermission, LambdaClient.RemovePermission,
        ];
        IReadOnlyList<AwsOperation> database =
        [
            RdsClient.CreateDBCluster, RdsClient.ModifyDBCluster, RdsClient.DeleteDBCluster, RdsClient.CreateDBInstance, RdsClient.DeleteDBInstance,
            RdsClient.AddTagsToResource, RdsClient.RemoveTagsFromResource,
        ];
        IReadOnlyList<AwsOperation> keys =
        [
            KmsClient.DescribeKey, KmsClient.EnableKeyRotation, KmsClient.GetKeyRotationStatus, KmsClient.GetKeyPolicy, KmsClient.TagResource, KmsClient.ListResourceTags,
            KmsClient.GenerateDataKey, KmsClient.Decrypt, RdsClient.CreateDBCluster, RdsClient.ModifyDBCluster, KmsClient.CreateAlias,
        ];
        IReadOnlyList<AwsOperation> buckets =
        [
            S3Client.CreateBucket, S3Client.PutBucketVersioning, S3Client.GetBucketVersioning, S3Client.PutBucketEncryption, S3Client.GetBucketEncryption,
            S3Client.PutPublicAccessBlock, S3Client.GetPublicAccessBlock, S3Client.PutBucketPolicy, S3Client.GetBucketPolicy,
            S3Client.PutBucketLifecycleConfiguration, S3Client.GetBucketLifecycleConfiguration, S3Client.PutBucketTagging, S3Client.GetBucketTagging,
            S3Client.ListObjectVersions, S3Client.DeleteBucket,
        ];
        IReadOnlyList<AwsOperation> objects = [S3Client.PutObject, S3Client.GetObject, S3Client.HeadObject, LambdaClient.CreateFunction, LambdaClient.UpdateFunctionCode];
        IReadOnlyList<AwsOperation> schedules =
        [
            SchedulerClient.CreateScheduleGroup, SchedulerClient.GetScheduleGroup, SchedulerClient.DeleteScheduleGroup,
            SchedulerClient.CreateSchedule, SchedulerClient.GetSchedule, SchedulerClient.UpdateSchedule, SchedulerClient.DeleteSchedule,
            SchedulerClient.TagResource, SchedulerClient.UntagResource, SchedulerClient.ListTagsForResource,
        ];
        IReadOnlyList<AwsOperation> distributions =
        [
            CloudFrontClient.CreateDistributionWithTags, CloudFrontClient.GetDistribution, CloudFrontClient.UpdateDistribution, CloudFrontClient.DeleteDistribution,
            CloudFrontClient.TagResource, CloudFrontClient.UntagResource, CloudFrontClient.ListTagsForResource,
        ];
        IReadOnlyList<AwsOperation> originAccessControls =
        [
            CloudFrontClient.CreateOriginAccessControl, CloudFrontClient.GetOriginAccessControl, CloudFrontClient.DeleteOriginAccessControl,
        ];
        return new IamPolicy(
        [
            Statement("ProjectRoles", roles, "iam", [$"arn:aws:iam::*:role/{NamePrefix}*"]),
            Statement(
                "PassProjectRoles",
                passRole,
                "iam",
                [$"arn:aws:iam::*:role/{NamePrefix}*"],
                Conditions(("StringEquals", "iam:PassedToService", ["lambda.amazonaws.com", "scheduler.amazonaws.com"]))),
            Statement("ProbeAccessRole", [IamClient.GetRole], "iam", [$"arn:aws:iam::*:role/{options.MemberRoleName}"]),
            Statement("Functions", functions, "lambda", ["arn:aws:lambda:*:*:function:*"], regional),
            Statement("ListFunctions", [LambdaClient.ListFunctions, LambdaClient.ListLayerVersions], "lambda", ["*"], regional),
            Statement("AccessLayers", [LambdaClient.PublishLayerVersion], "lambda", [$"arn:aws:lambda:*:*:layer:{NamePrefix}*"], regional),
            Statement(
                "AttachAccessLayers",
                [LambdaClient.CreateFunction, LambdaClient.UpdateFunctionConfiguration],
                "lambda",
                [$"arn:aws:lambda:*:*:layer:{NamePrefix}*:*"],
                regional,
                only: ["lambda:GetLayerVersion"]),
            Statement(
                "Database",
                database,
                "rds",
                [
                    $"arn:aws:rds:*:*:cluster:{NamePrefix}*", $"arn:aws:rds:*:*:db:{NamePrefix}*", $"arn:aws:rds:*:*:cluster-snapshot:{NamePrefix}*",
                    "arn:aws:rds:*:*:subgrp:default", "arn:aws:rds:*:*:cluster-pg:default.*", "arn:aws:rds:*:*:pg:default.*", "arn:aws:rds:*:*:og:default:*",
                ],
                regional),
            Statement("DescribeDatabase", [RdsClient.DescribeDBClusters, RdsClient.DescribeDBInstances], "rds", ["*"], regional),
            Statement("DatabaseMasterSecret", [RdsClient.CreateDBCluster, RdsClient.ModifyDBCluster], "secretsmanager", ["arn:aws:secretsmanager:*:*:secret:rds!*"], regional),
            Statement("ProjectKeys", keys, "kms", ["arn:aws:kms:*:*:key/*", "arn:aws:kms:*:*:alias/openkbs/*"], regional),

            // Key-destroying actions only on the signing key being retired (its alias ends in -signing-previous), never on the
            // project's data key or any other key; the deletion only with KMS's longest waiting period (restorable for 30 days).
            // kms:ResourceAliases is multi-valued: ForAnyValue requires at least one matching alias (a key without aliases fails).
            Statement(
                "RetireSigningKeys",
                [KmsClient.ScheduleKeyDeletion],
                "kms",
                ["arn:aws:kms:*:*:key/*"],
                Conditions(
                    ("StringEquals", "aws:RequestedRegion", options.Regions),
                    ("ForAnyValue:StringLike", "kms:ResourceAliases", [RetiringKeyAliasPattern]),
                    ("NumericGreaterThanEquals", "kms:ScheduleKeyDeletionPendingWindowInDays", [KeyDeletionWindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture)]))),

            // Only the signing aliases move (rotation); the data key's alias is made once and never repointed. UpdateAlias is
            // authorized on the alias and on the old and the new key (a new key has no alias yet: key/* without condition).
            Statement(
                "MoveSigningKeyAliases",
                [KmsClient.UpdateAlias],
                "kms",
                ["arn:aws:kms:*:*:key/*", "arn:aws:kms:*:*:alias/openkbs/*-signing", $"arn:aws:kms:*:*:{RetiringKeyAliasPattern}"],
                regional),

            // A key policy is put back only on the project's signing key (its alias ends in -signing): never on the data key or any other key.
            Statement(
                "RestoreSigningKeyPolicy",
                [KmsClient.PutKeyPolicy],
                "kms",
                ["arn:aws:kms:*:*:key/*"],
                Conditions(("StringEquals", "aws:RequestedRegion", options.Regions), ("ForAnyValue:StringLike", "kms:ResourceAliases", [SigningKeyAliasPattern]))),

            // DeleteAlias is authorized on the alias and on the key it names (kms:ResourceAliases applies to the key only).
            Statement("RemoveRetiringKeyAlias", [KmsClient.DeleteAlias], "kms", [$"arn:aws:kms:*:*:{RetiringKeyAliasPattern}"], regional),
            Statement(
                "RemoveAliasOfRetiringKey",
                [KmsClient.DeleteAlias],
                "kms",
                ["arn:aws:kms:*:*:key/*"],
                Conditions(("StringEquals", "aws:RequestedRegion", options.Regions), ("ForAnyValue:StringLike", "kms:ResourceAliases", [RetiringKeyAliasPattern]))),
            Statement("CreateAndListKeys", [KmsClient.CreateKey, KmsClient.ListAliases, KmsClient.ListKeys], "kms", ["*"], regional),
            Statement("ProjectBuckets", buckets, "s3", [$"arn:aws:s3:::{NamePrefix}*"], regional),
            Statement("ProjectObjects", objects, "s3", [$"arn:aws:s3:::{NamePrefix}*/*"], regional),
            Statement(
                "Schedules",
                schedules,
                "scheduler",
                [$"arn:aws:scheduler:*:*:schedule-group/{NamePrefix}*", $"arn:aws:scheduler:*:*:schedule/{NamePrefix}*/*"],
                regional),
            Statement("ListSchedules", [SchedulerClient.ListSchedules], "scheduler", ["*"], regional),
            Statement("Distributions", distributions, "cloudfront", ["arn:aws:cloudfront::*:distribution/*"]),
            // CloudFront edits the log bucket's ACL with the caller's permissions when standard logging is enabled (the
            // awslogsdelivery grant), and the CDN step's drift check reads and puts back that grant and the bucket's Object
            // Ownership; only on the projects' log buckets (ProjectNames.CdnLogBucket), never on the data buckets.
            Statement(
                "CdnLogBucketAcl",
                [CloudFrontClient.CreateDistributionWithTags, CloudFrontClient.UpdateDistribution, S3Client.GetBucketAcl, S3Client.PutBucketAcl, S3Client.GetBucketOwnershipControls, S3Client.PutBucketOwnershipControls],
                "s3",
                [$"arn:aws:s3:::{NamePrefix}*-cdnlogs"]),
            Statement("OriginAccessControls", originAccessControls, "cloudfront", ["arn:aws:cloudfront::*:origin-access-control/*"]),
            Statement("ListDistributions", [CloudFrontClient.ListDistributions, CloudFrontClient.ListOriginAccessControls], "cloudfront", ["*"]),
            Statement("FunctionMetrics", [CloudWatchClient.GetMetricData], "cloudwatch", ["*"], regional),
            Statement("MqttEndpoint", [IotClient.DescribeEndpoint], "iot", ["*"], regional),

            // The AuditRun's infrastructure check reads (never writes) the project's configuration besides what the steps above read.
            Statement("AuditManagedPolicies", [IamClient.GetPolicy, IamClient.GetPolicyVersion], "iam", ["arn:aws:iam::*:policy/*"]),
            // The roles besides the project's own (okbs-*, statement ProjectRoles) that the check reads: it lists the account's roles to find
            // the ones the project owns and the ones that trust its execution role, and reads the identity policies of the latter.
            Statement("AuditListRoles", [IamClient.ListRoles], "iam", ["*"]),
            Statement(
                "AuditRolePolicies",
                [IamClient.ListRolePolicies, IamClient.GetRolePolicy, IamClient.ListAttachedRolePolicies, IamClient.ListRoleTags],
                "iam",
                ["arn:aws:iam::*:role/*"]),
            Statement("AuditFunctionExposure", [LambdaClient.GetFunctionUrlConfig, LambdaClient.GetPolicy], "lambda", ["arn:aws:lambda:*:*:function:*"], regional),
            Statement("AuditDistributionConfig", [CloudFrontClient.GetDistributionConfig], "cloudfront", ["arn:aws:cloudfront::*:distribution/*"]),
        ]);
    }

    /// <summary>The trust policy of the member role: only the operator's role in the management account, only sessions named <c>{prefix}-*</c>.</summary>
    public static string MemberTrustPolicy(IamPolicyOptions? options = null)
    {
        options ??= new IamPolicyOptions();
        var statement = new System.Text.Json.Nodes.JsonObject
        {
            ["Sid"] = "OperatorSessions",
            ["Effect"] = "Allow",
            ["Principal"] = new System.Text.Json.Nodes.JsonObject { ["AWS"] = $"arn:aws:iam::{options.ManagementAccountId}:role/{options.OperatorRoleName}" },
            ["Action"] = "sts:AssumeRole",
            ["Condition"] = IamPolicy.Condition(Conditions(("StringLike", "sts:RoleSessionName", [$"{options.SessionNamePrefix}-*"]))),
        };
        return new System.Text.Json.Nodes.JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new System.Text.Json.Nodes.JsonArray(statement) }
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Every IAM action any operation of the layer declares (the upper bound of what a policy may grant).</summary>
    public static IReadOnlySet<string> DeclaredActions() => DeclaredOperations().SelectMany(o => o.IamActions.Concat(o.ConditionalIam)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The audit actions (<c>service:Operation</c>) of every operation the layer declares, with their IAM actions.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> DeclaredIamActions() =>
        DeclaredOperations().ToDictionary(o => o.Action, o => o.IamActions, StringComparer.Ordinal);

    internal static IEnumerable<AwsOperation> DeclaredOperations() =>
        typeof(OperatorPermissions).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
            .Where(f => f.FieldType == typeof(AwsOperation))
            .Select(f => (AwsOperation)f.GetValue(null)!);

    private static IamStatement Statement(
        string sid,
        IReadOnlyList<AwsOperation> operations,
        string service,
        IReadOnlyList<string> resources,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? conditions = null,
        IReadOnlyList<string>? only = null,
        bool conditional = false)
    {
        var actions = operations.SelectMany(o => conditional ? o.IamActions.Concat(o.ConditionalIam) : o.IamActions).Where(a => a.StartsWith(service + ":", StringComparison.Ordinal))
            .Where(a => only is null || only.Contains(a, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (actions.Count == 0)
        {
            throw new InvalidOperationException($"statement {sid}: none of its operations needs a {service} action");
        }

        return new IamStatement
        {
            Sid = sid,
            Actions = actions,
            Resources = resources,
            Operations = [.. operations.Select(o => o.Action).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Conditions = conditions ?? new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(),
        };
    }

    /// <summary>Regional services: only the allowed EU regions (the EU guard refuses others before sending; this refuses them in AWS too).</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Regional(IamPolicyOptions options) =>
        Conditions(("StringEquals", "aws:RequestedRegion", options.Regions));

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Conditions(params (string Operator, string Key, IReadOnlyList<string> Values)[] conditions) =>
        conditions.GroupBy(c => c.Operator, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, IReadOnlyList<string>>)g.ToDictionary(c => c.Key, c => c.Values, StringComparer.Ordinal),
            StringComparer.Ordinal);
}
