namespace OpenKbs.Aws.S3;

/// <summary>What <see cref="S3ArtifactCopy.CopyVerifiedAsync"/> copied: the verified digest and the new object version.</summary>
public sealed record ArtifactCopyResult
{
    /// <summary>The verified SHA-256 (lower-case hex).</summary>
    public required string Sha256 { get; init; }

    public required long Length { get; init; }

    public string? SourceVersionId { get; init; }

    /// <summary>The version of the copy in the target bucket (deploy Lambda code from exactly this version).</summary>
    public string? VersionId { get; init; }

    public string? ETag { get; init; }
}
