using System.Security.Cryptography;
using System.Text;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Infrastructure;

/// <summary>
/// One rule of the <c>infrastructure</c> check: its id (the catalog's, docs/audit.md), pinned severity, CWE where one
/// applies, and the text every finding of it carries (why it matters, how to fix).
/// </summary>
public sealed record InfrastructureRule(string Id, Severity Severity, int? Cwe, string Title, string Impact, string Remediation)
{
    /// <summary>A finding of this rule on <paramref name="resource"/> (an ARN). The fingerprint is rule + resource + <paramref name="detail"/>.</summary>
    internal Finding Finding(string resource, string message, string evidence, string? detail = null, Severity? severity = null) => new()
    {
        Analyzer = InfrastructureAnalyzer.AnalyzerName,
        RuleId = Id,
        Severity = severity ?? Severity,
        Cwe = Cwe,
        Title = Title,
        Message = message,
        Resource = resource,
        Evidence = evidence,
        Impact = Impact,
        Remediation = Remediation,
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Id}\n{resource}\n{detail}"))),
    };
}
