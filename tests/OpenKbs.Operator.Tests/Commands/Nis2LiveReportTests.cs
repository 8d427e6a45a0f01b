using System.Collections.Concurrent;
using Amazon.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Permissions;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Operator.Commands;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>The one moto collection of this assembly: every class that uses moto joins it (they run one after another).</summary>
[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoServerFixture>;

/// <summary>
/// `openkbs nis2 report` reading live evidence from AWS (moto): a client account created through Organizations with the guardrail
/// SCP attached, and in it (through the access role, STS AssumeRole) the project's key, bucket, Aurora cluster with writer and
/// standby, and distribution, all as the operator sets them; the Kubernetes objects record the same in their status. Then a
/// change made in AWS behind the operator's back (the status still says all is well) turns the matching measure, with the
/// reason naming what AWS says and that the status disagrees; AWS out of reach makes every AWS item "not verified live".
/// Every call the report makes is a read granted by the generated IAM policy of its account.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class Nis2LiveReportTests(MotoServerFixture moto, Nis2Sandbox sandbox) : IClassFixture<Nis2Sandbox>
{
    private const string Sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly AwsActor TestActor = AwsActor.System("nis2-tests");

    [Fact]
    public async Task A_tenant_in_place_in_AWS_gets_every_AWS_item_read_live_with_only_granted_reads()
    {
        using var aws = new Layer(moto.Endpoint);
        var tenant = await TenantAsync(aws);

        var (code, report, error) = await ReportAsync(aws, tenant.Namespace);

        Assert.True(code == 0, error + report);
        Assert.Equal(["partly", "not covered", "evidenced", "evidenced", "evidenced", "partly", "partly", "evidenced", "partly", "not covered"], Verdicts(report));
        Assert.Contains($"guardrail SCP {tenant.PolicyId} in AWS Organizations: attached (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains($"bucket {tenant.Bucket} versioning: Enabled (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains($"bucket {tenant.Bucket} public access blocked: yes (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains($"bucket {tenant.Bucket} default encryption: aws:kms with the project key (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains($"database {tenant.Cluster} backup retention: 7 days (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains($"database {tenant.Cluster} storage encryption: aws:kms with the project key (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains($"database {tenant.Cluster} standby: {tenant.Cluster}-r1 in eu-central-1b (available), writer {tenant.Cluster}-w1 in eu-central-1a (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains("automatic rotation: on", report, StringComparison.Ordinal);
        Assert.Contains($"CDN {tenant.Distribution} minimum viewer TLS: TLSv1.2_2021 (read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains("price class: PriceClass_100 (read live from AWS)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("not verified live:", report, StringComparison.Ordinal);
        Assert.DoesNotContain("disagree", report, StringComparison.Ordinal);

        // Read-only, and every call granted by the generated policy of its account (docs/iam).
        var calls = aws.Calls.Where(c => c.Actor.Controller == "nis2-report").ToList();
        Assert.Contains(calls, c => c.AccountId is null && c.Action == "organizations:ListPoliciesForTarget");
        Assert.Contains(calls, c => c.AccountId == tenant.AccountId && c.Action == "rds:DescribeDBClusters");
        Assert.All(calls, c => Assert.Matches("^[a-z0-9]+:(Get|Describe|List|AssumeRole$)", c.Action));
        Assert.All(calls, c => Assert.Equal(c.AccountId is null ? null : "eu-central-1", c.AccountId is null ? null : c.Region));
        var management = OperatorPermissions.ManagementPolicy().Actions;
        var member = OperatorPermissions.MemberPolicy().Actions;
        Assert.All(calls.SelectMany(c => c.IamActions.Select(a => (c.AccountId, Action: a))), a => Assert.Contains(a.Action, a.AccountId is null ? management : member));
    }

    public static TheoryData<string, char, string, string> Drifts => new()
    {
        { "versioning suspended", 'c', "not covered", "versioning: AWS says Suspended but status says Enabled" },
        { "guardrail detached", 'a', "not covered", "the guardrail SCP is not attached to account" },
        { "backup retention shortened", 'c', "partly", "backups kept 3 days (< 7)" },
        { "standby removed", 'c', "partly", "no available standby in another Availability Zone" },
        { "public access block removed", 'g', "not covered", "bucket public access is not blocked" },
        { "bucket encrypted with S3 keys", 'h', "not covered", "bucket not encrypted with the project key" },
        { "CDN opened to TLSv1 and all edges", 'h', "partly", "the CDN accepts viewer TLS below TLSv1.2_2021 (TLSv1)" },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public async Task A_change_behind_the_operators_back_shows_as_AWS_says_with_the_reason(string drift, char letter, string verdict, string reason)
    {
        using var aws = new Layer(moto.Endpoint);
        var tenant = await TenantAsync(aws);
        var (_, before, _) = await ReportAsync(aws, tenant.Namespace);

        await DriftAsync(aws, tenant, drift);
        var (code, after, error) = await ReportAsync(aws, tenant.Namespace);

        Assert.True(code == 0, error);
        Assert.True(verdict == Verdicts(after)[letter - 'a'], $"{drift}: ({letter}) is {Verdicts(after)[letter - 'a']}\n{after}");
        Assert.NotEqual(Verdicts(before)[letter - 'a'], Verdicts(after)[letter - 'a']);
        Assert.Contains(reason, Rows(after)[letter - 'a'], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWS_out_of_reach_makes_each_AWS_item_not_verified_live_never_the_status_in_its_place()
    {
        using var aws = new Layer(moto.Endpoint);
        var tenant = await TenantAsync(aws);
        using var unreachable = new Layer(new Uri("http://127.0.0.1:9"));

        var (code, report, error) = await ReportAsync(unreachable, tenant.Namespace);

        Assert.True(code == 0, error);
        Assert.Equal(["partly", "not covered", "partly", "evidenced", "evidenced", "partly", "partly", "partly", "partly", "not covered"], Verdicts(report));
        Assert.DoesNotContain("(read live from AWS)", report, StringComparison.Ordinal);
        foreach (var item in new[] { "versioning", "public access blocked", "default encryption", "backup retention", "standby", "storage encryption", "automatic rotation", "minimum viewer TLS", "price class", "in AWS Organizations" })
        {
            Assert.Matches($"{item}: [^\\n]*\\(as last recorded in status; not verified live: [^\\n]+\\)", report);
        }

        Assert.Contains("versioning not verified live", Rows(report)[2], StringComparison.Ordinal);
        Assert.Contains("not verified live: sts:AssumeRole failed: NetworkError (Connection refused (127.0.0.1:9))", report, StringComparison.Ordinal);
    }

    private static async Task DriftAsync(Layer aws, Tenant tenant, string drift)
    {
        var member = aws.Member(tenant.AccountId);
        switch (drift)
        {
            case "versioning suspended":
                await member.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = tenant.Bucket, Status = "Suspended" });
                break;
            case "guardrail detached":
                await aws.Factory.ForManagement(TestActor).Organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = tenant.PolicyId, TargetId = tenant.AccountId });
                break;
            case "backup retention shortened":
                await member.Rds.ModifyDBClusterAsync(new ModifyDBClusterRequest { DBClusterIdentifier = tenant.Cluster, BackupRetentionPeriod = 3, ApplyImmediately = true });
                break;
            case "standby removed":
                await member.Rds.DeleteDBInstanceAsync(new DeleteDBInstanceRequest { DBInstanceIdentifier = tenant.Cluster + "-r1" });
                break;
            case "public access block removed":
                await member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = tenant.Bucket, PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration() });
                break;
            case "bucket encrypted with S3 keys":
                await member.S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = tenant.Bucket, SSEAlgorithm = "AES256" });
                break;
            case "CDN opened to TLSv1 and all edges":
                var current = await member.CloudFront.GetDistributionConfigAsync(new GetDistributionConfigRequest { Id = tenant.Distribution });
                var config = current.DistributionConfig! with
                {
                    PriceClass = "PriceClass_All",
                    ViewerCertificate = current.DistributionConfig!.ViewerCertificate! with { MinimumProtocolVersion = "TLSv1" },
                };
                await member.CloudFront.UpdateDistributionAsync(new UpdateDistributionRequest { Id = tenant.Distribution, IfMatch = current.ETag!, DistributionConfig = config });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(drift), drift, null);
        }
    }

    private sealed record Tenant(string Namespace, string AccountId, string PolicyId, string Bucket, string KeyArn, string Cluster, string Distribution);

    /// <summary>A client account in AWS with everything in place as the operator sets it, and its objects with the same in their status.</summary>
    private async Task<Tenant> TenantAsync(Layer aws)
    {
        var ns = await sandbox.CreateNamespaceAsync("nis2-live");
        var organizations = aws.Factory.ForManagement(TestActor).Organizations;
        try
        {
            await organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest());
        }
        catch (AwsServiceException)
        {
            await organizations.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
        }

        var root = (await organizations.ListRootsAsync(new ListRootsRequest())).Roots.Single().Id!;
        try
        {
            await organizations.EnablePolicyTypeAsync(new EnablePolicyTypeRequest { RootId = root, PolicyType = "SERVICE_CONTROL_POLICY" });
        }
        catch (AwsServiceException)
        {
            // Enabled by an earlier test of the run.
        }

        var request = await organizations.CreateAccountAsync(new CreateAccountRequest { Email = $"aws+{ns}@example.com", AccountName = ns });
        var accountId = (await organizations.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = request.CreateAccountStatus!.Id! }))
            .CreateAccountStatus!.AccountId!;
        var policyId = (await organizations.CreatePolicyAsync(new CreatePolicyRequest
        {
            Name = "okbs-region-guard-" + ns,
            Description = "EU regions only",
            Type = "SERVICE_CONTROL_POLICY",
            Content = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*","cloudfront:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1"]}}}]}""",
        })).Policy!.PolicySummary!.Id!;
        await organizations.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = policyId, TargetId = accountId });

        var member = aws.Member(accountId);
        var key = (await member.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "project key of " + ns })).KeyMetadata!.Arn!;
        await member.Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key });
        var bucket = "okbs-" + ns;
        await member.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = bucket });
        await member.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, Status = "Enabled" });
        await member.S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = bucket, SSEAlgorithm = "aws:kms", KMSMasterKeyID = key, BucketKeyEnabled = true });
        await member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true },
        });
        var cluster = "okbs-" + ns;
        await member.Rds.CreateDBClusterAsync(new CreateDBClusterRequest
        {
            DBClusterIdentifier = cluster, Engine = "aurora-postgresql", MasterUsername = "openkbs", ManageMasterUserPassword = true,
            StorageEncrypted = true, KmsKeyId = key, BackupRetentionPeriod = 7, DeletionProtection = true,
        });
        await member.Rds.CreateDBInstanceAsync(new CreateDBInstanceRequest
        {
            DBInstanceIdentifier = cluster + "-w1", DBClusterIdentifier = cluster, DBInstanceClass = "db.serverless", Engine = "aurora-postgresql", AvailabilityZone = "eu-central-1a",
        });
        await member.Rds.CreateDBInstanceAsync(new CreateDBInstanceRequest
        {
            DBInstanceIdentifier = cluster + "-r1", DBClusterIdentifier = cluster, DBInstanceClass = "db.serverless", Engine = "aurora-postgresql", AvailabilityZone = "eu-central-1b", PromotionTier = 0,
        });
        var distribution = (await member.CloudFront.CreateDistributionAsync(new CreateDistributionRequest
        {
            DistributionConfig = CloudFrontDistributions.ForS3Origin(new S3DistributionSpec
            {
                OwnerUid = Guid.NewGuid().ToString(), BucketName = bucket, BucketRegion = "eu-central-1", OriginAccessControlId = "E2OAC" + ns.GetHashCode(StringComparison.Ordinal).ToString("X8", System.Globalization.CultureInfo.InvariantCulture),
                AcmCertificateArn = Certificate, Aliases = ["shop.example.com"],
            }),
        })).Distribution!.Id!;

        await CreateAsync(ns, ClientAccount.KubePlural, new ClientAccount
        {
            Metadata = new V1ObjectMeta { Name = "acme", NamespaceProperty = ns },
            Spec = new ClientAccountSpec { Email = $"aws+{ns}@example.com", Region = EuRegions.EuCentral1, AllowedRegions = [EuRegions.EuCentral1] },
        }, new ClientAccountStatus
        {
            AccountId = accountId, State = AccountState.Active, GuardrailPolicyId = policyId,
            Conditions = [Condition(ConditionTypes.Ready), Condition(ConditionTypes.GuardrailsApplied)], ObservedGeneration = 1,
        });
        await CreateAsync(ns, Project.KubePlural, new Project
        {
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = ns },
            Spec = new ProjectSpec
            {
                ClientAccountRef = new LocalObjectReference { Name = "acme" },
                Version = "1.0.0",
                Audit = new ProjectAuditSpec { Required = true },
                Storage = new StorageSpec { NoncurrentVersionRetentionDays = 30 },
                Database = new DatabaseSpec { Enabled = true, BackupRetentionDays = 7, StandbyReplica = true },
                Cdn = new CdnSpec { Enabled = true, Aliases = ["shop.example.com"], AcmCertificateArn = Certificate },
            },
        }, new ProjectStatus
        {
            AccountId = accountId,
            Region = EuRegions.EuCentral1,
            DeployedVersion = "1.0.0",
            ArtifactSha256 = Sha,
            Storage = new StorageStatus { BucketName = bucket, BucketArn = "arn:aws:s3:::" + bucket, Versioning = "Enabled", Encryption = "aws:kms", PublicAccessBlocked = true, KmsKeyArn = key },
            Database = new DatabaseStatus
            {
                ClusterIdentifier = cluster, Status = "available", BackupRetentionDays = 7, DeletionProtection = true,
                EarliestRestorableTime = Now.AddDays(-7).UtcDateTime, LatestRestorableTime = Now.AddMinutes(-5).UtcDateTime,
                WriterInstance = cluster + "-w1", WriterAvailabilityZone = "eu-central-1a",
                Standby = new DatabaseStandbyStatus { InstanceIdentifier = cluster + "-r1", AvailabilityZone = "eu-central-1b", Status = "available" },
            },
            Cdn = new CdnStatus { DistributionId = distribution, Status = "Deployed" },
            Conditions = [Condition(ConditionTypes.Ready), Condition(ConditionTypes.ArtifactVerified), Condition(ConditionTypes.StorageReady), Condition(ConditionTypes.DatabaseReady), Condition(ConditionTypes.CdnReady)],
            ObservedGeneration = 1,
        });
        await CreateAsync(ns, AuditRun.KubePlural, new AuditRun
        {
            Metadata = new V1ObjectMeta { Name = "shop-1-0-0", NamespaceProperty = ns },
            Spec = new AuditRunSpec { ProjectRef = new LocalObjectReference { Name = "shop" }, Version = "1.0.0" },
        }, new AuditRunStatus
        {
            Phase = AuditPhase.Passed, Version = "1.0.0", ArtifactSha256 = Sha, StartedAt = Now.AddDays(-1).UtcDateTime, CompletedAt = Now.AddDays(-1).AddMinutes(2).UtcDateTime, ObservedGeneration = 1,
        });
        return new Tenant(ns, accountId, policyId, bucket, key, cluster, distribution);
    }

    private async Task<(int Code, string Report, string Error)> ReportAsync(Layer aws, string ns)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Nis2ReportCommand.RunAsync(sandbox.Client, null, ns, "md", null, Now, output, error, aws.Factory, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private Task CreateAsync<T>(string ns, string plural, T resource, object status)
        where T : IKubernetesObject<V1ObjectMeta> => Nis2ReportCommandTests.CreateAsync(sandbox.Client, ns, plural, resource, status);

    private static V1Condition Condition(string type) =>
        new() { Type = type, Status = "True", Reason = ConditionReasons.Available, Message = "ready", LastTransitionTime = Now.AddDays(-1).UtcDateTime, ObservedGeneration = 1 };

    private static string[] Rows(string report) => Nis2ReportCommandTests.Rows(report);

    private static string[] Verdicts(string report) => Nis2ReportCommandTests.Verdicts(report);

    /// <summary>The AWS access layer as in production, pointed at <paramref name="endpoint"/> with moto's dummy management credentials and quick retries; records every call.</summary>
    private sealed class Layer : IAwsCallObserver, IDisposable
    {
        private readonly ServiceProvider _provider;
        private readonly ConcurrentQueue<AwsCall> _calls = new();

        public Layer(Uri endpoint)
        {
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey)));
            services.AddSingleton<IAwsCallObserver>(this);
            services.AddOpenKbsAws(o =>
            {
                o.EndpointUrl = endpoint;
                o.UseEnvironmentEndpoints = false;
                o.SourceAddress = "10.0.0.9";
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(20);
                o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(100);
                o.Resilience.EnableRateLimits = false;
            });
            _provider = services.BuildServiceProvider();
        }

        public IAwsClientFactory Factory => _provider.GetRequiredService<IAwsClientFactory>();

        public IReadOnlyList<AwsCall> Calls => [.. _calls];

        public IMemberAccountClients Member(string accountId) => Factory.ForAccount(accountId, ClientAccountSpec.DefaultAccessRoleName, EuRegions.EuCentral1, TestActor);

        public void OnCall(AwsCall call) => _calls.Enqueue(call);

        public void Dispose() => _provider.Dispose();
    }
}
