using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Infrastructure;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Permissions;
using OpenKbs.Controllers.Projects;
using CloudFront = OpenKbs.Aws.CloudFront.Model;
using Iam = OpenKbs.Aws.Iam.Model;
using Kms = OpenKbs.Aws.Kms.Model;
using Lambda = OpenKbs.Aws.Lambda.Model;
using Orgs = OpenKbs.Aws.Organizations.Model;
using Rds = OpenKbs.Aws.Rds.Model;
using S3 = OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>
/// Reads a Project's live AWS configuration into the plain snapshot the <c>infrastructure</c> check runs on: its roles
/// (execution and scheduler, every inline and attached policy), its bucket, functions, distribution, database and key through
/// the client account's 900 s session, the account's other roles that the project owns or that trust its execution role (their
/// inline and attached policies too), and the account's region guardrail (the service control policies attached to it) from
/// the management account. Only Get/List/Describe operations: an audit never changes AWS. Resources are found by the Project's
/// deterministic names (<see cref="ProjectNames"/>) and its status, so a resource the operator did not create (a second
/// function of the project's prefix) is read too. A resource that does not exist is simply absent; one that cannot be read
/// (AccessDenied and other non-retryable errors) becomes a gap, which makes the check incomplete; throttling and outages
/// propagate so the pass is retried.
/// </summary>
internal static class InfrastructureCollector
{
    /// <summary>The service control policy type (the region guard is one).</summary>
    private const string ServiceControlPolicy = "SERVICE_CONTROL_POLICY";

    public static async Task<InfrastructureSnapshot> CollectAsync(
        Project project, ClientAccount account, IMemberAccountClients member, IOrganizationsClient organizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(organizations);
        var names = ProjectNames.For(project.Metadata.NamespaceProperty, project.Metadata.Name, project.Metadata.Uid!);
        var reads = new Reads();
        var roles = new List<RoleSnapshot>();
        foreach (var (role, reason) in new[] { (names.ExecutionRole, RoleSnapshot.ExecutionRole), (names.SchedulerRole, RoleSnapshot.SchedulerRole) })
        {
            if (await RoleAsync(member, role, reason, reads, cancellationToken) is { } snapshot)
            {
                roles.Add(snapshot);
            }
        }

        roles.AddRange(await OtherRolesAsync(member, names, project.Metadata.Uid!, roles.FirstOrDefault(r => r.Reason == RoleSnapshot.ExecutionRole), reads, cancellationToken));

        var bucket = project.Status?.Storage?.BucketName ?? names.Bucket;
        var buckets = await BucketAsync(member, bucket, reads, cancellationToken) is { } b ? new[] { b } : [];
        var functions = await FunctionsAsync(member, names.FunctionPrefix, reads, cancellationToken);
        var distributions = project.Status?.Cdn?.DistributionId is { } distributionId
            && await DistributionAsync(member, distributionId, reads, cancellationToken) is { } d ? new[] { d } : [];
        var databases = await DatabaseAsync(member, names.DatabaseCluster, reads, cancellationToken) is { } db ? new[] { db } : [];
        var keys = await KeyAsync(member, project.Status?.Storage?.KmsKeyArn ?? names.KeyAlias, reads, cancellationToken) is { } k ? new[] { k } : [];
        var guard = await GuardAsync(organizations, member.AccountId, account.Spec.AllowedRegions, reads, cancellationToken);
        return new InfrastructureSnapshot
        {
            AccountId = member.AccountId,
            Region = member.Region,
            Subject = $"Project {project.Metadata.NamespaceProperty}/{project.Metadata.Name}",
            Roles = roles,
            Buckets = buckets,
            Functions = functions,
            Distributions = distributions,
            Databases = databases,
            Keys = keys,
            RegionGuard = guard,
            Gaps = reads.Gaps,
        };
    }

    private static async Task<RoleSnapshot?> RoleAsync(IMemberAccountClients member, string name, string reason, Reads reads, CancellationToken cancellationToken)
    {
        var role = (await reads.TryAsync($"iam GetRole {name}", () => member.Iam.GetRoleAsync(new Iam.GetRoleRequest { RoleName = name }, cancellationToken)))?.Role;
        return role is null ? null : await PoliciesAsync(member, role with { RoleName = name }, reason, reads, cancellationToken);
    }

    /// <summary>
    /// The account's other roles that belong in the project's audit (ListRoles, all pages): those the project owns, named with the
    /// operator's prefix and carrying the project's uid tag (or no uid tag and the project's hash in the name: an untagged role is
    /// judged by its name, as the steps adopt it), and those whose trust policy admits the project's execution role (its functions
    /// can become them, so their grants are the functions' too). Tags are read (ListRoleTags) only for roles of the operator's prefix.
    /// </summary>
    private static async Task<IReadOnlyList<RoleSnapshot>> OtherRolesAsync(
        IMemberAccountClients member, ProjectNames names, string uid, RoleSnapshot? execution, Reads reads, CancellationToken cancellationToken)
    {
        var listed = await reads.TryAsync("iam ListRoles", () => member.Iam.ListRolesAsync(new Iam.ListRolesRequest(), cancellationToken));
        var executionArn = execution?.Arn ?? $"arn:aws:iam::{member.AccountId}:role/{names.ExecutionRole}";
        var session = $"arn:aws:sts::{member.AccountId}:assumed-role/{names.ExecutionRole}/";
        var roles = new List<RoleSnapshot>();
        foreach (var role in (listed?.Roles ?? []).Where(r => r.RoleName is { } n && n != names.ExecutionRole && n != names.SchedulerRole).OrderBy(r => r.RoleName, StringComparer.Ordinal))
        {
            var name = role.RoleName!;
            string? reason = null;
            if (name.StartsWith(OperatorPermissions.NamePrefix, StringComparison.Ordinal))
            {
                var tags = role.Tags ?? (await reads.TryAsync($"iam ListRoleTags {name}", () => member.Iam.ListRoleTagsAsync(new Iam.ListRoleTagsRequest { RoleName = name }, cancellationToken)))?.Tags ?? [];
                var owner = tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value;
                if (owner == uid || (owner is null && (name.EndsWith("-" + names.Hash, StringComparison.Ordinal) || name.Contains($"-{names.Hash}-", StringComparison.Ordinal))))
                {
                    reason = RoleSnapshot.OwnedRole;
                }
            }

            if (reason is null && InfrastructureRules.TrustAdmits(role.AssumeRolePolicyDocument, p => p == executionArn || p.StartsWith(session, StringComparison.Ordinal)))
            {
                reason = RoleSnapshot.TrustsExecutionRole;
            }

            if (reason is not null)
            {
                roles.Add(await PoliciesAsync(member, role, reason, reads, cancellationToken));
            }
        }

        return roles;
    }

    /// <summary>The role's identity policies: every inline policy and every attached managed policy (its default version's document).</summary>
    private static async Task<RoleSnapshot> PoliciesAsync(IMemberAccountClients member, Iam.Role role, string reason, Reads reads, CancellationToken cancellationToken)
    {
        var name = role.RoleName!;
        var policies = new List<PolicySnapshot>();
        var inline = await reads.TryAsync($"iam ListRolePolicies {name}", () => member.Iam.ListRolePoliciesAsync(new Iam.ListRolePoliciesRequest { RoleName = name }, cancellationToken));
        foreach (var policyName in (inline?.PolicyNames ?? []).Order(StringComparer.Ordinal))
        {
            var document = await reads.TryAsync($"iam GetRolePolicy {name}/{policyName}",
                () => member.Iam.GetRolePolicyAsync(new Iam.GetRolePolicyRequest { RoleName = name, PolicyName = policyName }, cancellationToken));
            policies.Add(new PolicySnapshot { Name = policyName, Document = document?.PolicyDocument });
        }

        var attached = await reads.TryAsync($"iam ListAttachedRolePolicies {name}",
            () => member.Iam.ListAttachedRolePoliciesAsync(new Iam.ListAttachedRolePoliciesRequest { RoleName = name }, cancellationToken));
        foreach (var policy in (attached?.AttachedPolicies ?? []).Where(p => p.PolicyArn is not null).OrderBy(p => p.PolicyArn, StringComparer.Ordinal))
        {
            var arn = policy.PolicyArn!;
            var managed = (await reads.TryAsync($"iam GetPolicy {arn}", () => member.Iam.GetPolicyAsync(new Iam.GetPolicyRequest { PolicyArn = arn }, cancellationToken)))?.Policy;
            string? document = null;
            if (managed?.DefaultVersionId is { } version)
            {
                document = (await reads.TryAsync($"iam GetPolicyVersion {arn} {version}",
                    () => member.Iam.GetPolicyVersionAsync(new Iam.GetPolicyVersionRequest { PolicyArn = arn, VersionId = version }, cancellationToken)))?.PolicyVersion?.Document;
            }

            policies.Add(new PolicySnapshot { Name = policy.PolicyName ?? arn, Arn = arn, Document = document });
        }

        return new RoleSnapshot { Arn = role.Arn ?? $"arn:aws:iam::{member.AccountId}:role/{name}", Name = name, Reason = reason, TrustPolicy = role.AssumeRolePolicyDocument, Policies = policies };
    }

    private static async Task<BucketSnapshot?> BucketAsync(IMemberAccountClients member, string bucket, Reads reads, CancellationToken cancellationToken)
    {
        var block = await reads.TryAsync($"s3 GetPublicAccessBlock {bucket}", () => member.S3.GetPublicAccessBlockAsync(new S3.GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken));
        var policy = await reads.TryAsync($"s3 GetBucketPolicy {bucket}", () => member.S3.GetBucketPolicyAsync(new S3.GetBucketPolicyRequest { BucketName = bucket }, cancellationToken));
        var encryption = await reads.TryAsync($"s3 GetBucketEncryption {bucket}", () => member.S3.GetBucketEncryptionAsync(new S3.GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken));
        return new BucketSnapshot
        {
            Name = bucket,
            PublicAccessBlock = block?.PublicAccessBlockConfiguration is { } c ? new PublicAccessBlockSnapshot(c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets) : null,
            Policy = string.IsNullOrWhiteSpace(policy?.Policy) ? null : policy.Policy,
            EncryptionAlgorithm = encryption?.SSEAlgorithm,
            EncryptionKeyId = encryption?.KMSMasterKeyID,
        };
    }

    private static async Task<IReadOnlyList<FunctionSnapshot>> FunctionsAsync(IMemberAccountClients member, string prefix, Reads reads, CancellationToken cancellationToken)
    {
        var listed = await reads.TryAsync("lambda ListFunctions", () => member.Lambda.ListFunctionsAsync(new Lambda.ListFunctionsRequest(), cancellationToken));
        var functions = new List<FunctionSnapshot>();
        foreach (var function in (listed?.Functions ?? []).Where(f => f.FunctionName?.StartsWith(prefix, StringComparison.Ordinal) == true).OrderBy(f => f.FunctionName, StringComparer.Ordinal))
        {
            var name = function.FunctionName!;
            var url = await reads.TryAsync($"lambda GetFunctionUrlConfig {name}", () => member.Lambda.GetFunctionUrlConfigAsync(new Lambda.GetFunctionUrlConfigRequest { FunctionName = name }, cancellationToken));
            var policy = await reads.TryAsync($"lambda GetPolicy {name}", () => member.Lambda.GetPolicyAsync(new Lambda.GetPolicyRequest { FunctionName = name }, cancellationToken));
            functions.Add(new FunctionSnapshot
            {
                Name = name,
                Arn = function.FunctionArn ?? $"arn:aws:lambda:{member.Region}:{member.AccountId}:function:{name}",
                UrlAuthType = url?.AuthType,
                ResourcePolicy = string.IsNullOrWhiteSpace(policy?.Policy) ? null : policy.Policy,
            });
        }

        return functions;
    }

    private static async Task<DistributionSnapshot?> DistributionAsync(IMemberAccountClients member, string id, Reads reads, CancellationToken cancellationToken)
    {
        var config = (await reads.TryAsync($"cloudfront GetDistributionConfig {id}",
            () => member.CloudFront.GetDistributionConfigAsync(new CloudFront.GetDistributionConfigRequest { Id = id }, cancellationToken)))?.DistributionConfig;
        if (config is null)
        {
            return null;
        }

        var certificate = config.ViewerCertificate;
        return new DistributionSnapshot
        {
            Id = id,
            Arn = $"arn:aws:cloudfront::{member.AccountId}:distribution/{id}",
            DefaultCertificate = certificate is null || certificate.CloudFrontDefaultCertificate == true || string.IsNullOrEmpty(certificate.ACMCertificateArn),
            MinimumProtocolVersion = certificate?.MinimumProtocolVersion,
            Behaviours = Behaviours(config),
            Origins = [.. (config.Origins?.Items ?? []).Where(o => o.Id is not null).Select(o => new OriginSnapshot
            {
                Id = o.Id!,
                DomainName = o.DomainName,
                S3 = o.S3OriginConfig is not null || (o.CustomOriginConfig is null && BucketEndpoint(o.DomainName)),
                OriginAccessControlId = string.IsNullOrEmpty(o.OriginAccessControlId) ? null : o.OriginAccessControlId,
                OriginAccessIdentity = o.S3OriginConfig?.OriginAccessIdentity,
                ProtocolPolicy = o.CustomOriginConfig?.OriginProtocolPolicy,
                SslProtocols = [.. o.CustomOriginConfig?.OriginSslProtocols?.Items ?? []],
            })],
        };
    }

    /// <summary>A bucket's REST endpoint (<c>BUCKET.s3.REGION.amazonaws.com</c>, <c>BUCKET.s3.amazonaws.com</c>): an S3 origin even where its
    /// S3OriginConfig is not returned (moto drops it; AWS always returns one of the two configs).</summary>
    private static bool BucketEndpoint(string? domain) =>
        domain is not null && domain.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) && domain.Contains(".s3.", StringComparison.OrdinalIgnoreCase);

    /// <summary>The default cache behaviour (path pattern "default") and every other one, in the distribution's order.</summary>
    private static List<CacheBehaviourSnapshot> Behaviours(CloudFront.DistributionConfig config)
    {
        var behaviours = new List<CacheBehaviourSnapshot>();
        if (config.DefaultCacheBehavior is { } d)
        {
            behaviours.Add(new CacheBehaviourSnapshot
            {
                PathPattern = CacheBehaviourSnapshot.Default, TargetOriginId = d.TargetOriginId, ViewerProtocolPolicy = d.ViewerProtocolPolicy, AllowedMethods = [.. d.AllowedMethods?.Items ?? []],
            });
        }

        behaviours.AddRange((config.CacheBehaviors?.Items ?? []).Select(b => new CacheBehaviourSnapshot
        {
            PathPattern = b.PathPattern ?? "(none)", TargetOriginId = b.TargetOriginId, ViewerProtocolPolicy = b.ViewerProtocolPolicy, AllowedMethods = [.. b.AllowedMethods?.Items ?? []],
        }));
        return behaviours;
    }

    private static async Task<DatabaseSnapshot?> DatabaseAsync(IMemberAccountClients member, string cluster, Reads reads, CancellationToken cancellationToken)
    {
        var clusters = (await reads.TryAsync($"rds DescribeDBClusters {cluster}",
            () => member.Rds.DescribeDBClustersAsync(new Rds.DescribeDBClustersRequest { DBClusterIdentifier = cluster }, cancellationToken)))?.DBClusters;
        if (clusters is not { Count: > 0 })
        {
            return null;
        }

        var found = clusters[0];

        var instances = await reads.TryAsync($"rds DescribeDBInstances of {cluster}", () => member.Rds.DescribeDBInstancesAsync(
            new Rds.DescribeDBInstancesRequest { Filters = [new Rds.Filter { Name = "db-cluster-id", Values = [cluster] }] }, cancellationToken));
        return new DatabaseSnapshot
        {
            Identifier = cluster,
            Arn = found.DBClusterArn ?? $"arn:aws:rds:{member.Region}:{member.AccountId}:cluster:{cluster}",
            StorageEncrypted = found.StorageEncrypted == true,
            BackupRetentionDays = found.BackupRetentionPeriod ?? 0,
            DeletionProtection = found.DeletionProtection == true,
            PubliclyAccessibleInstances = [.. (instances?.DBInstances ?? []).Where(i => i.PubliclyAccessible == true && i.DBInstanceIdentifier is not null)
                .Select(i => i.DBInstanceIdentifier!).Order(StringComparer.Ordinal)],
        };
    }

    private static async Task<KeySnapshot?> KeyAsync(IMemberAccountClients member, string keyArn, Reads reads, CancellationToken cancellationToken)
    {
        var key = (await reads.TryAsync($"kms DescribeKey {keyArn}", () => member.Kms.DescribeKeyAsync(new Kms.DescribeKeyRequest { KeyId = keyArn }, cancellationToken)))?.KeyMetadata;
        if (key is null)
        {
            return null;
        }

        var arn = key.Arn ?? keyArn;
        var rotation = await reads.TryAsync($"kms GetKeyRotationStatus {arn}", () => member.Kms.GetKeyRotationStatusAsync(new Kms.GetKeyRotationStatusRequest { KeyId = arn }, cancellationToken));
        return new KeySnapshot { Arn = arn, KeyManager = key.KeyManager ?? "CUSTOMER", RotationEnabled = rotation?.KeyRotationEnabled == true };
    }

    private static async Task<RegionGuardSnapshot?> GuardAsync(IOrganizationsClient organizations, string accountId, IEnumerable<string> allowed, Reads reads, CancellationToken cancellationToken)
    {
        var attached = await reads.TryAsync($"organizations ListPoliciesForTarget {accountId}",
            () => organizations.ListPoliciesForTargetAsync(new Orgs.ListPoliciesForTargetRequest { TargetId = accountId, Filter = ServiceControlPolicy }, cancellationToken));
        if (attached is null)
        {
            return null;
        }

        var policies = new List<ServiceControlPolicySnapshot>();
        foreach (var summary in attached.Policies.Where(p => p.Id is not null).OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var policy = await reads.TryAsync($"organizations DescribePolicy {summary.Id}",
                () => organizations.DescribePolicyAsync(new Orgs.DescribePolicyRequest { PolicyId = summary.Id! }, cancellationToken));
            policies.Add(new ServiceControlPolicySnapshot(summary.Id!, summary.Name ?? summary.Id!, policy?.Policy?.Content));
        }

        return new RegionGuardSnapshot { AllowedRegions = [.. allowed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], Policies = policies };
    }

    /// <summary>One collection's reads: not found is absent, a refusal is a gap, a retryable failure propagates.</summary>
    private sealed class Reads
    {
        private readonly List<string> _gaps = [];

        public IReadOnlyList<string> Gaps => _gaps;

        public async Task<T?> TryAsync<T>(string what, Func<Task<T>> read)
            where T : class
        {
            try
            {
                return await read();
            }
            catch (AwsServiceException ex) when (ex.IsNotFound)
            {
                return null;
            }
            catch (AwsServiceException ex) when (!ex.IsRetryable)
            {
                _gaps.Add($"{what}: {ex.ErrorCode}");
                return null;
            }
        }
    }
}
