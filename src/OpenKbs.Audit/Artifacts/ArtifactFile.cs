namespace OpenKbs.Audit.Artifacts;

/// <summary>
/// One regular file of an extracted artifact, already read into memory by the intake (which enforces size, count and
/// path rules). <see cref="Path"/> is relative to the artifact root with '/' separators and never escapes it.
/// </summary>
public sealed record ArtifactFile(string Path, ReadOnlyMemory<byte> Content)
{
    /// <summary>The content as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Content.Span);
}
