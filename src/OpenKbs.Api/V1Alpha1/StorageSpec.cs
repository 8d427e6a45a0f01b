using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Settings of the project's S3 bucket.</summary>
public sealed record StorageSpec
{
    /// <summary>Days a replaced or deleted object version is kept before it expires, 1 to 3650; 30 when absent.</summary>
    [Minimum(1)]
    [Maximum(3650)]
    public int? NoncurrentVersionRetentionDays { get; init; }
}
