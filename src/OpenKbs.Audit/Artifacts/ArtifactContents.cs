namespace OpenKbs.Audit.Artifacts;

/// <summary>An artifact after intake: its verified SHA-256 and its files, in path order.</summary>
public sealed record ArtifactContents(string Sha256, IReadOnlyList<ArtifactFile> Files);
