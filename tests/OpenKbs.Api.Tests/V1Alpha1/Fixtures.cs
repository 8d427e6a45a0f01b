using k8s.Models;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Api.Tests.V1Alpha1;

/// <summary>One object of each kind with every field set, spec and status.</summary>
internal static class Fixtures
{
    private static readonly DateTime Time = new(2026, 11, 26, 14, 0, 0, DateTimeKind.Utc);
    private static readonly string Sha = new('a', 64);

    public static IReadOnlyList<V1Condition> Conditions(params string[] types) =>
        types.Select(t => new V1Condition { Type = t, Status = "True", Reason = ConditionReasons.Available, Message = string.Empty, LastTransitionTime = Time, ObservedGeneration = 3 }).ToList();

    public static ClientAccount ClientAccount() => new()
    {
        Metadata = new V1ObjectMeta { Name = "acme", NamespaceProperty = "acme", Generation = 3 },
        Spec = new ClientAccountSpec
        {
            DisplayName = "ACME GmbH",
            Email = "aws+acme@example.com",
            OrganizationalUnit = "Clients/Manufacturing",
            Region = EuRegions.EuCentral1,
            AllowedRegions = [EuRegions.EuCentral1, EuRegions.EuWest1],
            AccessRoleName = "OrganizationAccountAccessRole",
            Tags = new Dictionary<string, string> { ["cost-center"] = "42" },
            DeletionPolicy = AccountDeletionPolicy.Close,
            AdoptAccountId = "111111111111",
        },
        Status = new ClientAccountStatus
        {
            AccountId = "111111111111",
            AccountArn = "arn:aws:organizations::000000000000:account/o-abc/111111111111",
            State = AccountState.Active,
            CreateAccountRequestId = "car-0123456789abcdef",
            OrganizationalUnitId = "ou-ab12-cdef3456",
            GuardrailPolicyId = "p-0123abcd",
            QueuePosition = 1,
            Adopted = true,
            ReleasedAt = Time,
            Conditions = [.. Conditions(ConditionTypes.Ready, ConditionTypes.AccountCreated)],
            ObservedGeneration = 3,
            LastHandledReconcileAt = "2026-11-26T14:00:00Z",
        },
    };

    public static Project Project() => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "acme" },
        Spec = new ProjectSpec
        {
            ClientAccountRef = new LocalObjectReference { Name = "acme" },
            Version = "1.0.0",
            Source = new ArtifactSource { S3 = new S3Location { Bucket = "openkbs-artifacts", Key = "examples/shop/1.0.0.zip" }, Sha256 = Sha },
            Functions =
            [
                new FunctionSpec
                {
                    Name = "api",
                    Handler = "api.handler",
                    Runtime = LambdaRuntimes.NodeJs22,
                    MemoryMb = 256,
                    TimeoutSeconds = 10,
                    Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
                },
            ],
            Storage = new StorageSpec { NoncurrentVersionRetentionDays = 30 },
            Database = new DatabaseSpec { Enabled = true, MinCapacity = 0.5, MaxCapacity = 2, BackupRetentionDays = 7, DeletionProtection = false, StandbyReplica = true },
            Cdn = new CdnSpec { Enabled = true, PriceClass = CdnPriceClasses.PriceClass100, Aliases = ["shop.acme.example"], AcmCertificateArn = "arn:aws:acm:us-east-1:111111111111:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45" },
            Schedules = [new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "api", Enabled = false }],
            ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }],
            Access = new AccessSpec { Enabled = true, TokenLifetimeSeconds = 600, SigningKeyRotationDays = 30, Mqtt = new MqttSpec { Enabled = true } },
            Audit = new ProjectAuditSpec
            {
                Required = true,
                CreateRuns = true,
                Suppressions = [new AuditSuppression { RuleId = "js/sql-injection", Path = "legacy/**", Reason = "legacy reports, read-only replica", Expires = "2027-03-31", ApprovedBy = "security@acme.example" }],
            },
            DeletionPolicy = ProjectDeletionPolicy.Delete,
        },
        Status = new ProjectStatus
        {
            AccountId = "111111111111",
            Region = EuRegions.EuCentral1,
            DeployedVersion = "1.0.0",
            ArtifactSha256 = Sha,
            FunctionsReady = "1/1",
            Endpoint = "d111111abcdef8.cloudfront.net",
            Storage = new StorageStatus { BucketName = "openkbs-shop-1a2b3c", BucketArn = "arn:aws:s3:::openkbs-shop-1a2b3c", Versioning = "Enabled", Encryption = "aws:kms", PublicAccessBlocked = true },
            Database = new DatabaseStatus
            {
                ClusterIdentifier = "openkbs-shop",
                Endpoint = "openkbs-shop.cluster-x.eu-central-1.rds.amazonaws.com",
                ReaderEndpoint = "openkbs-shop.cluster-ro-x.eu-central-1.rds.amazonaws.com",
                Port = 5432,
                Status = "available",
                EngineVersion = "16.6",
                BackupRetentionDays = 7,
                DeletionProtection = true,
                EarliestRestorableTime = Time.AddDays(-7),
                LatestRestorableTime = Time,
                WriterInstance = "openkbs-shop-w1",
                WriterAvailabilityZone = "eu-central-1a",
                Standby = new DatabaseStandbyStatus { InstanceIdentifier = "openkbs-shop-r1", AvailabilityZone = "eu-central-1b", Status = "available" },
            },
            Functions = [new FunctionStatus { Name = "api", Arn = "arn:aws:lambda:eu-central-1:111111111111:function:shop-api", State = "Active", LastUpdateStatus = "Successful", CodeSha256 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Version = "3" }],
            Cdn = new CdnStatus { DistributionId = "E2QWRUHEXAMPLE", DomainName = "d111111abcdef8.cloudfront.net", Status = "Deployed" },
            Schedules = [new ScheduleStatus { Name = "nightly", Arn = "arn:aws:scheduler:eu-central-1:111111111111:schedule/default/shop-nightly", State = "ENABLED" }],
            ApiKeys = [new ApiKeyStatus { Name = "partner", Fingerprint = "aaaaaaaa", Sha256 = Sha, SecretRef = new SecretKeyReference { Name = "shop-api-key-partner", Key = "apiKey" }, CreatedAt = Time }],
            Access = new AccessStatus
            {
                TokenUrl = "https://shop.example.com/auth/token",
                JwksUrl = "https://shop.example.com/auth/jwks.json",
                SigningKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab",
                SigningKeyRotatedAt = Time,
                PreviousSigningKeyId = "0234abcd-12ab-34cd-56ef-1234567890ab",
                PreviousSigningKeyRetiresAt = Time,
                FunctionName = "shop-shop-0a1b2c3d-_access",
                FunctionUrl = "https://abc.lambda-url.eu-central-1.on.aws/",
                LayerVersionArn = "arn:aws:lambda:eu-central-1:123456789012:layer:okbs-auth:1",
                MqttEndpoint = "a1b2c3-ats.iot.eu-central-1.amazonaws.com",
            },
            Usage = new UsageStatus { Period = "2026-11", UpdatedAt = Time, Functions = [new FunctionUsage { Name = "api", Invocations = 1000, Errors = 2, AvgDurationMs = 12.5 }], Cdn = new CdnUsage { Requests = 5000, BytesOut = 123456789, Through = "2026-11-14" } },
            ReleasedAt = Time,
            Conditions = [.. Conditions(ConditionTypes.Ready, ConditionTypes.FunctionsReady)],
            ObservedGeneration = 1,
        },
    };

    public static AuditRun AuditRun() => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop-1-0-0", NamespaceProperty = "acme" },
        Spec = new AuditRunSpec
        {
            ProjectRef = new LocalObjectReference { Name = "shop" },
            Version = "1.0.0",
            Source = new ArtifactSource { S3 = new S3Location { Bucket = "openkbs-artifacts", Key = "examples/shop/1.0.0.zip" }, Sha256 = Sha },
            FailOn = FailOnSeverity.High,
            Checks = [AuditCheck.Secrets, AuditCheck.Dependencies],
            Suppressions = [new AuditSuppression { Fingerprint = new string('b', 64), Reason = "test fixture key, revoked", Expires = "2027-01-31", ApprovedBy = "security@acme.example" }],
        },
        Status = new AuditRunStatus
        {
            Phase = AuditPhase.Failed,
            Version = "1.0.0",
            ArtifactSha256 = Sha,
            Findings = new FindingCounts { Critical = 0, High = 1, Medium = 2, Low = 3, Suppressed = 1 },
            ReportRef = new ReportReference { ConfigMapName = "shop-1-0-0-report", S3 = new S3Location { Bucket = "openkbs-shop-1a2b3c", Key = "audits/shop-1-0-0.sarif" } },
            StartedAt = Time,
            CompletedAt = Time,
            Conditions = [.. Conditions(ConditionTypes.Ready)],
        },
    };

    public static AccountTransfer AccountTransfer() => new()
    {
        Metadata = new V1ObjectMeta { Name = "acme", NamespaceProperty = "acme" },
        Spec = new AccountTransferSpec
        {
            ClientAccountRef = new LocalObjectReference { Name = "acme" },
            NewRootEmail = "it@acme.example",
            Confirmations = new TransferConfirmations
            {
                VerificationCodeSecretRef = new SecretKeyReference { Name = "acme-transfer-code", Key = "code" },
                PasswordSet = true,
                StandaloneReady = true,
                RemovalApproved = false,
            },
        },
        Status = new AccountTransferStatus
        {
            Phase = TransferPhase.AwaitingApproval,
            AccountId = "111111111111",
            Steps = [new TransferStep { Name = TransferStepName.Approval, State = TransferStepState.Waiting, LastTransitionTime = Time, Message = "waiting for spec.confirmations.removalApproved" }],
            CompletedAt = Time,
            Conditions = [.. Conditions(ConditionTypes.Ready)],
        },
    };
}
