using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A deployment artifact (a zip of the functions' code) and the SHA-256 it must have.</summary>
public sealed record ArtifactSource
{
    /// <summary>Where the artifact is: an S3 object the operator can read (the platform artifact bucket).</summary>
    public required S3Location S3 { get; init; }

    /// <summary>The SHA-256 of the artifact's bytes, 64 lowercase hex characters (<c>sha256sum</c> output).
    /// An artifact with any other hash is never deployed.</summary>
    [Pattern(Patterns.Sha256)]
    public required string Sha256 { get; init; }
}
