using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed client solution: one section per component, the deployed version, and conditions.</summary>
public sealed class ProjectStatus : ResourceStatus
{
    /// <summary>The AWS account id the project runs in (from the ClientAccount).</summary>
    [Pattern(Patterns.AccountId)]
    public string? AccountId { get; set; }

    /// <summary>The region the project runs in (the ClientAccount's home region).</summary>
    [MaxLength(32)]
    public string? Region { get; set; }

    /// <summary>The version whose code runs now.</summary>
    [MaxLength(64)]
    public string? DeployedVersion { get; set; }

    /// <summary>The SHA-256 of the artifact that was verified and deployed.</summary>
    [Pattern(Patterns.Sha256)]
    public string? ArtifactSha256 { get; set; }

    /// <summary>Functions ready out of functions in the spec, e.g. <c>2/2</c> (the FUNCTIONS column).</summary>
    [MaxLength(16)]
    public string? FunctionsReady { get; set; }

    /// <summary>Where clients reach the project: the CloudFront domain when the CDN is enabled.</summary>
    [MaxLength(512)]
    public string? Endpoint { get; set; }

    /// <summary>The S3 bucket.</summary>
    public StorageStatus? Storage { get; set; }

    /// <summary>The Aurora cluster (no credentials: the master password is managed by AWS).</summary>
    public DatabaseStatus? Database { get; set; }

    /// <summary>The Lambda functions.</summary>
    [MaxItems(20)]
    public IList<FunctionStatus>? Functions { get; set; }

    /// <summary>The CloudFront distribution.</summary>
    public CdnStatus? Cdn { get; set; }

    /// <summary>The EventBridge Scheduler schedules.</summary>
    [MaxItems(50)]
    public IList<ScheduleStatus>? Schedules { get; set; }

    /// <summary>The API keys in force: names, fingerprints and SHA-256 hashes only, never a key.</summary>
    [MaxItems(10)]
    public IList<ApiKeyStatus>? ApiKeys { get; set; }

    /// <summary>Client access: token and key URLs, the signing key id.</summary>
    public AccessStatus? Access { get; set; }

    /// <summary>Consumption per function, refreshed on a slow interval.</summary>
    public UsageStatus? Usage { get; set; }

    /// <summary>When a Retain deletion released the AWS resources (set just before the finalizer is removed).</summary>
    public DateTime? ReleasedAt { get; set; }

    /// <summary>When an AccountTransfer handed the project's account to the client: the finalizer was removed without touching
    /// AWS and the project is never reconciled again.</summary>
    public DateTime? TransferredAt { get; set; }
}
