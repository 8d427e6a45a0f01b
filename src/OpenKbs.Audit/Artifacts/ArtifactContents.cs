namespace OpenKbs.Audit.Artifacts;

/// <summary>An artifact after intake: its verified SHA-256 and its files, in path order.</summary>
public sealed record ArtifactContents(string Sha256, IReadOnlyList<ArtifactFile> Files)
{
    /// <summary>The intake's manifest (form, size, minified/bundled files and source maps); empty when built by hand.</summary>
    public ArtifactManifest Manifest { get; init; } = ArtifactManifest.Empty;
}
