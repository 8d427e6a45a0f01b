using System.Security.Cryptography;

namespace OpenKbs.Audit.Reports;

/// <summary>A report as bytes with its SHA-256, which a status or an audit trail can name.</summary>
public sealed record RenderedReport(string Format, string MediaType, byte[] Content)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));

    public string FileExtension => Format switch
    {
        "sarif" => ".sarif",
        "markdown" => ".md",
        _ => ".json",
    };
}

/// <summary>All three reports of a run.</summary>
public static class AuditReports
{
    public static IReadOnlyList<RenderedReport> Render(Engine.AuditResult result) =>
    [
        SarifReport.Render(result),
        MarkdownReport.Render(result),
        JsonReport.Render(result),
    ];
}
