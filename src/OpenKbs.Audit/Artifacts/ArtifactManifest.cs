namespace OpenKbs.Audit.Artifacts;

/// <summary>What the intake saw: the artifact's form, its size, and the files it recognised as not plain source.</summary>
public sealed record ArtifactManifest(string Format, int FileCount, long TotalBytes, IReadOnlyList<ArtifactNote> Notes)
{
    public static readonly ArtifactManifest Empty = new("unknown", 0, 0, []);
}

/// <summary>How a file is shaped, as far as analysis is concerned.</summary>
public enum ArtifactFileKind
{
    /// <summary>Hand-written source, analysed as is.</summary>
    Source,

    /// <summary>Minified JavaScript: analysis works but locations and evidence are hard to read.</summary>
    Minified,

    /// <summary>A bundle (webpack, esbuild, rollup, parcel): many modules, dependencies included, in one file.</summary>
    Bundled,

    /// <summary>A source map (.map, or JSON with version 3 and mappings): it ships the original sources' names and often their text.</summary>
    SourceMap,
}

/// <summary>One file the intake recognised as minified, bundled or a source map, and why.</summary>
public sealed record ArtifactNote(string Path, ArtifactFileKind Kind, string Reason);
