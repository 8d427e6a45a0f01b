using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Where the hand-over report is and its fingerprints.</summary>
public sealed class TransferReportStatus
{
    /// <summary>The report in the client's own account (the project bucket): <c>KEY.json</c> and <c>KEY.md</c>.</summary>
    public S3Location? S3 { get; set; }

    /// <summary>The ConfigMap, in this namespace, with the report's summary and hashes.</summary>
    [MaxLength(253)]
    public string? ConfigMapName { get; set; }

    /// <summary>SHA-256 (hex) of the JSON report.</summary>
    [Pattern(Patterns.Sha256)]
    public string? JsonSha256 { get; set; }

    /// <summary>SHA-256 (hex) of the Markdown report.</summary>
    [Pattern(Patterns.Sha256)]
    public string? MarkdownSha256 { get; set; }

    /// <summary>When the report was written.</summary>
    public DateTime? WrittenAt { get; set; }
}
