namespace OpenKbs.Controllers.Projects.Components.Artifact;

/// <summary>The verified copy of a deployment artifact inside the project's own bucket (what Lambda code is taken from).</summary>
internal sealed record ArtifactLocation
{
    public required string Bucket { get; init; }

    public required string Key { get; init; }

    /// <summary>The S3 version of the copy, when the bucket reports one.</summary>
    public string? VersionId { get; init; }

    /// <summary>The verified SHA-256, lowercase hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The same digest in base64, as Lambda reports CodeSha256.</summary>
    public string CodeSha256 => Convert.ToBase64String(Convert.FromHexString(Sha256));
}
