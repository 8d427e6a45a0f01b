using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenKbs.Audit.Infrastructure;

/// <summary>
/// A project's live AWS configuration as the <c>infrastructure</c> check reads it: plain records, no AWS SDK types, so the
/// rules run on a snapshot the controller's collector read through its 900 s session, or on a JSON file given to
/// <c>openkbs audit scan --infrastructure FILE</c>. Policy documents are kept as the JSON text AWS returned. Deterministic
/// (no read times, lists in a stable order): the same live configuration gives the same bytes and <see cref="Sha256"/>.
/// </summary>
public sealed record InfrastructureSnapshot
{
    /// <summary>The format marker of the JSON file.</summary>
    public const string CurrentSchema = "openkbs.infrastructure/v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string Schema { get; init; } = CurrentSchema;

    /// <summary>The client account the configuration was read in.</summary>
    public required string AccountId { get; init; }

    /// <summary>The project's home region.</summary>
    public required string Region { get; init; }

    /// <summary>What was read, e.g. "Project team-a/shop".</summary>
    public string? Subject { get; init; }

    public IReadOnlyList<RoleSnapshot> Roles { get; init; } = [];

    public IReadOnlyList<BucketSnapshot> Buckets { get; init; } = [];

    public IReadOnlyList<FunctionSnapshot> Functions { get; init; } = [];

    public IReadOnlyList<DistributionSnapshot> Distributions { get; init; } = [];

    public IReadOnlyList<DatabaseSnapshot> Databases { get; init; } = [];

    public IReadOnlyList<KeySnapshot> Keys { get; init; } = [];

    /// <summary>The account's region guardrail; null when it was not read (then a gap says why).</summary>
    public RegionGuardSnapshot? RegionGuard { get; init; }

    /// <summary>What the collector could not read (access denied, throttled to the end): the check is then incomplete.</summary>
    public IReadOnlyList<string> Gaps { get; init; } = [];

    /// <summary>The snapshot as indented JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The SHA-256 of <see cref="ToJson"/>: names this configuration in reports and report paths.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ToJson())));

    /// <summary>Reads a snapshot file.</summary>
    /// <exception cref="FormatException">not a snapshot of this schema, or a member is missing or unknown.</exception>
    public static InfrastructureSnapshot Parse(string json)
    {
        InfrastructureSnapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize<InfrastructureSnapshot>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not an infrastructure snapshot: {ex.Message}", ex);
        }

        if (snapshot is null)
        {
            throw new FormatException("not an infrastructure snapshot: the file is empty (null)");
        }

        if (!string.Equals(snapshot.Schema, CurrentSchema, StringComparison.Ordinal))
        {
            throw new FormatException($"not an infrastructure snapshot: schema '{snapshot.Schema}', expected '{CurrentSchema}'");
        }

        return snapshot;
    }
}

/// <summary>
/// An IAM role of the project (execution role, scheduler role, another role it owns, a role that trusts its execution role)
/// with every policy that grants it something.
/// </summary>
public sealed record RoleSnapshot
{
    /// <summary><see cref="Reason"/> of the functions' execution role.</summary>
    public const string ExecutionRole = "execution role";

    /// <summary><see cref="Reason"/> of the schedules' role.</summary>
    public const string SchedulerRole = "scheduler role";

    /// <summary><see cref="Reason"/> of another role the project owns (its owner tags, or its name when untagged).</summary>
    public const string OwnedRole = "owned by the project";

    /// <summary><see cref="Reason"/> of a role whose trust policy admits the execution role (the project's functions can become it).</summary>
    public const string TrustsExecutionRole = "trusts the project's execution role";

    public required string Arn { get; init; }

    public required string Name { get; init; }

    /// <summary>Why the role belongs to the project's audit (the constants above); null in snapshots written before it was recorded.</summary>
    public string? Reason { get; init; }

    /// <summary>The trust policy (JSON).</summary>
    public string? TrustPolicy { get; init; }

    public IReadOnlyList<PolicySnapshot> Policies { get; init; } = [];
}

/// <summary>One identity policy of a role: inline (name only) or managed (ARN; its default version's document when read).</summary>
public sealed record PolicySnapshot
{
    public required string Name { get; init; }

    /// <summary>The managed policy's ARN; null for an inline policy.</summary>
    public string? Arn { get; init; }

    /// <summary>The policy document (JSON); null when it was not read (an AWS managed policy, see <see cref="Arn"/>).</summary>
    public string? Document { get; init; }
}

/// <summary>The four settings of an S3 public access block.</summary>
public sealed record PublicAccessBlockSnapshot(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets)
{
    [JsonIgnore]
    public bool AllOn => BlockPublicAcls && IgnorePublicAcls && BlockPublicPolicy && RestrictPublicBuckets;
}

/// <summary>The project bucket.</summary>
public sealed record BucketSnapshot
{
    public required string Name { get; init; }

    /// <summary>Null when the bucket has no public access block at all.</summary>
    public PublicAccessBlockSnapshot? PublicAccessBlock { get; init; }

    /// <summary>The bucket policy (JSON); null when there is none.</summary>
    public string? Policy { get; init; }

    /// <summary>The default encryption's algorithm (<c>aws:kms</c>, <c>aws:kms:dsse</c>, <c>AES256</c>); null when none is set.</summary>
    public string? EncryptionAlgorithm { get; init; }

    public string? EncryptionKeyId { get; init; }

    [JsonIgnore]
    public string Arn => $"arn:aws:s3:::{Name}";
}

/// <summary>A Lambda function of the project.</summary>
public sealed record FunctionSnapshot
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    /// <summary>The function URL's AuthType (<c>NONE</c> or <c>AWS_IAM</c>); null when the function has no URL.</summary>
    public string? UrlAuthType { get; init; }

    /// <summary>The resource-based policy (JSON); null when there is none.</summary>
    public string? ResourcePolicy { get; init; }
}

/// <summary>A CloudFront distribution of the project.</summary>
public sealed record DistributionSnapshot
{
    public required string Id { get; init; }

    public required string Arn { get; init; }

    /// <summary>True when viewers get CloudFront's default *.cloudfront.net certificate (which allows TLS 1.0 whatever the setting).</summary>
    public bool DefaultCertificate { get; init; }

    public string? MinimumProtocolVersion { get; init; }

    /// <summary>Every cache behaviour, the default first (path pattern <see cref="CacheBehaviourSnapshot.Default"/>), then in the distribution's order.</summary>
    public IReadOnlyList<CacheBehaviourSnapshot> Behaviours { get; init; } = [];

    /// <summary>Every origin, in the distribution's order.</summary>
    public IReadOnlyList<OriginSnapshot> Origins { get; init; } = [];
}

/// <summary>One cache behaviour of a distribution: which paths, to which origin, over which viewer protocol, with which methods.</summary>
public sealed record CacheBehaviourSnapshot
{
    /// <summary>The path pattern that names the default cache behaviour (which has none of its own).</summary>
    public const string Default = "default";

    public required string PathPattern { get; init; }

    public string? TargetOriginId { get; init; }

    /// <summary><c>allow-all</c>, <c>redirect-to-https</c> or <c>https-only</c>.</summary>
    public string? ViewerProtocolPolicy { get; init; }

    /// <summary>The HTTP methods CloudFront forwards (GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE).</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = [];
}

/// <summary>One origin of a distribution: an S3 bucket (with its origin access control) or a custom HTTP origin (with its protocol policy and TLS versions).</summary>
public sealed record OriginSnapshot
{
    public required string Id { get; init; }

    public string? DomainName { get; init; }

    /// <summary>True for an S3 bucket origin (S3OriginConfig, or a bucket's REST endpoint without a custom origin config), false otherwise.</summary>
    public bool S3 { get; init; }

    /// <summary>The origin access control that signs CloudFront's requests (S3 and Lambda URL origins); null when none.</summary>
    public string? OriginAccessControlId { get; init; }

    /// <summary>
    /// The S3OriginConfig's legacy origin access identity (<c>origin-access-identity/cloudfront/ID</c>; empty with origin access
    /// control or none); null when no S3OriginConfig was returned (a stand-in that drops it): then access control is not judged.
    /// </summary>
    public string? OriginAccessIdentity { get; init; }

    /// <summary>A custom origin's protocol policy: <c>http-only</c>, <c>match-viewer</c> or <c>https-only</c>; null when the origin has no custom origin config.</summary>
    public string? ProtocolPolicy { get; init; }

    /// <summary>The TLS/SSL versions CloudFront may use to a custom origin (SSLv3, TLSv1, TLSv1.1, TLSv1.2).</summary>
    public IReadOnlyList<string> SslProtocols { get; init; } = [];
}

/// <summary>An Aurora cluster of the project and its instances.</summary>
public sealed record DatabaseSnapshot
{
    public required string Identifier { get; init; }

    public required string Arn { get; init; }

    public bool StorageEncrypted { get; init; }

    public int BackupRetentionDays { get; init; }

    public bool DeletionProtection { get; init; }

    /// <summary>The identifiers of the cluster's instances that are publicly accessible.</summary>
    public IReadOnlyList<string> PubliclyAccessibleInstances { get; init; } = [];
}

/// <summary>A KMS key the project uses.</summary>
public sealed record KeySnapshot
{
    public required string Arn { get; init; }

    /// <summary>CUSTOMER or AWS.</summary>
    public string KeyManager { get; init; } = "CUSTOMER";

    public bool RotationEnabled { get; init; }
}

/// <summary>The account's region guardrail: the regions the ClientAccount allows and the service control policies attached to the account.</summary>
public sealed record RegionGuardSnapshot
{
    /// <summary>The regions the account is meant to be limited to (ClientAccount spec.allowedRegions).</summary>
    public IReadOnlyList<string> AllowedRegions { get; init; } = [];

    /// <summary>The service control policies attached to the account directly (id, name, content).</summary>
    public IReadOnlyList<ServiceControlPolicySnapshot> Policies { get; init; } = [];
}

/// <summary>One service control policy attached to the account.</summary>
public sealed record ServiceControlPolicySnapshot(string Id, string Name, string? Content);
