using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed S3 bucket.</summary>
public sealed class StorageStatus
{
    /// <summary>The bucket's name.</summary>
    [MaxLength(63)]
    public string? BucketName { get; set; }

    /// <summary>The bucket's ARN.</summary>
    [MaxLength(128)]
    public string? BucketArn { get; set; }

    /// <summary>The bucket's versioning state as S3 reports it (Enabled or Suspended).</summary>
    [MaxLength(32)]
    public string? Versioning { get; set; }

    /// <summary>The default encryption algorithm (e.g. <c>aws:kms</c> or <c>AES256</c>).</summary>
    [MaxLength(32)]
    public string? Encryption { get; set; }

    /// <summary>True when all four public access block settings are on.</summary>
    public bool? PublicAccessBlocked { get; set; }

    /// <summary>The project's KMS key (bucket encryption and the functions' sealed settings); recorded as soon as it is created
    /// so a restart never creates a second one.</summary>
    [MaxLength(2048)]
    public string? KmsKeyArn { get; set; }
}
