namespace OpenKbs.Audit.Intake;

/// <summary>
/// The caps the intake enforces while it extracts, counted on the bytes actually decompressed (never on sizes an archive
/// declares). The defaults fit a Lambda deployment package (250 MB unzipped at most) with room for source maps.
/// </summary>
public sealed record IntakeLimits
{
    public static readonly IntakeLimits Default = new();

    /// <summary>The archive file itself.</summary>
    public long MaxArchiveBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>One extracted file.</summary>
    public long MaxFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>All extracted files together.</summary>
    public long MaxTotalBytes { get; init; } = 300L * 1024 * 1024;

    /// <summary>Archive entries, directories included.</summary>
    public int MaxEntries { get; init; } = 50_000;

    /// <summary>
    /// Decompressed over compressed bytes, per zip entry and for the archive as a whole. JavaScript and JSON compress
    /// 4-15x; a zip bomb compresses 1,000x and more.
    /// </summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Entries smaller than this are not held to the ratio (a 2 KiB run of spaces may compress 100x and harms nobody).</summary>
    public long RatioFloorBytes { get; init; } = 1024 * 1024;
}
