namespace OpenKbs.Audit.Intake;

/// <summary>Why the intake refused an artifact. Each value is one precise reason a status message or exit code can name.</summary>
public enum ArtifactRejection
{
    /// <summary>The artifact (file, directory or object) does not exist.</summary>
    Missing,

    /// <summary>The expected SHA-256 is not 64 hexadecimal characters.</summary>
    InvalidDigest,

    /// <summary>The artifact's SHA-256 is not the expected one; nothing of it was read.</summary>
    DigestMismatch,

    /// <summary>Neither a zip nor a gzip-compressed tar (by its first bytes).</summary>
    UnsupportedFormat,

    /// <summary>The archive cannot be read (truncated, bad central directory, bad deflate or tar header).</summary>
    Corrupt,

    /// <summary>The archive file itself is larger than the cap.</summary>
    ArchiveTooLarge,

    /// <summary>An entry's path is absolute (leading '/', a drive letter or a UNC prefix).</summary>
    AbsolutePath,

    /// <summary>An entry's path climbs out of the artifact root ('..' segments; zip-slip).</summary>
    PathEscape,

    /// <summary>An entry's path holds control characters or is empty.</summary>
    InvalidPath,

    /// <summary>Two entries resolve to the same path, so what the analyzers read and what runs could differ.</summary>
    DuplicatePath,

    /// <summary>A symbolic or hard link (in a tar, a zip or a directory).</summary>
    Link,

    /// <summary>A device, FIFO or other non-regular entry.</summary>
    SpecialFile,

    /// <summary>One file is larger than the per-file cap.</summary>
    FileTooLarge,

    /// <summary>The files together are larger than the total cap.</summary>
    TotalTooLarge,

    /// <summary>More entries than the entry-count cap.</summary>
    TooManyEntries,

    /// <summary>Decompressed size over compressed size above the cap (a zip bomb).</summary>
    CompressionRatio,
}
