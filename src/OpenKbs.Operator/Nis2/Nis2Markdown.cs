using System.Security.Cryptography;
using System.Text;

namespace OpenKbs.Operator.Nis2;

/// <summary>The NIS2 report as Markdown: a summary table, one section per measure, what this report does not check, and the
/// SHA-256 of everything above the seal line (so a later copy can be compared).</summary>
internal static class Nis2Markdown
{
    public const string SealPrefix = "Content SHA-256 (of everything above this line): ";

    public static string Render(Nis2Evidence evidence, IReadOnlyList<Nis2Measure> measures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(measures);
        var md = new StringBuilder();
        md.Append("# NIS2 Art. 21(2) evidence: namespace `").Append(evidence.Namespace).Append("`\n\n");
        md.Append("Generated ").Append(Nis2Assessment.Time(now.UtcDateTime)).Append(" by `openkbs nis2 report`. Sources: ")
            .Append(evidence.Accounts.Count).Append(" ClientAccount(s), ").Append(evidence.Projects.Count).Append(" Project(s), ")
            .Append(evidence.AuditRuns.Count).Append(" AuditRun(s), ").Append(evidence.Transfers.Count)
            .Append(" AccountTransfer(s) as the operator last recorded them in their status, ").Append(AwsSource(evidence.Live)).Append(", and the audit store")
            .Append(evidence.AuditTrail.Configured ? string.Empty : " (not given)").Append(".\n\n");
        md.Append("Verdicts: **evidenced** (the operator's part is in place for every resource), **partly** (some resources or aspects), ")
            .Append("**not covered** (the operator holds no evidence, or the evidence shows a gap). A verdict covers only what the operator does; ")
            .Append("each measure names what stays with the client.\n\n");
        md.Append("| Measure | Verdict | Why |\n|---|---|---|\n");
        foreach (var m in measures)
        {
            md.Append("| (").Append(m.Letter).Append(") ").Append(m.Title).Append(" | ").Append(Word(m.Verdict)).Append(" | ").Append(Cell(m.Reason)).Append(" |\n");
        }

        foreach (var m in measures)
        {
            md.Append("\n## (").Append(m.Letter).Append(") ").Append(m.Title).Append("\n\n");
            md.Append("**").Append(Word(m.Verdict)).Append("**: ").Append(m.Reason).Append("\n\n");
            foreach (var line in m.Evidence)
            {
                md.Append("- ").Append(line).Append('\n');
            }

            if (m.Evidence.Count == 0)
            {
                md.Append("- (no evidence)\n");
            }

            md.Append("\nOutside the operator: ").Append(m.OutsideOperator).Append(".\n");
        }

        md.Append("\n## Not checked by this report\n\n");
        foreach (var line in NotChecked(evidence))
        {
            md.Append("- ").Append(line).Append('\n');
        }

        md.Append('\n');
        var content = md.ToString();
        return content + SealPrefix + Seal(content) + "\n";
    }

    /// <summary>What the report does not check (both formats).</summary>
    public static IReadOnlyList<string> NotChecked(Nis2Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return
        [
            evidence.Live.NotRead is { } reason
                ? $"AWS was not read ({reason}): every AWS item shows what the status records and says \"not verified live\"."
                : "AWS items AWS did not answer (access refused, unreachable) are marked \"not verified live\" with the reason; their status is shown, never as AWS's answer.",
            "Incidents outside what the operator detects (it opens records for a detached guardrail, a bucket made public, a critical finding in the deployed version and a failed audit-chain verification; anything outside its resources never does).",
            "KMS key rotation is shown as on or off with its period and the key's creation date (not the date of the next rotation); the STS session length (900 s) is an operator constant, not read per client.",
            evidence.AuditTrail.Configured
                ? "The seal below is listed in the audit store (openkbs_audit.report_seal) when the report is written; `openkbs nis2 check FILE` checks a copy against it."
                : "No audit store was given: this report's seal is not listed anywhere; keep it with its seal below.",
        ];
    }

    /// <summary>How AWS was read, for the sources line of both formats.</summary>
    public static string AwsSource(Nis2Live live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return live.NotRead is { } reason
            ? $"AWS not read ({reason})"
            : "what AWS says about their resources, read live through each account's access role (read-only, 900 s sessions)";
    }

    /// <summary>The lowercase hex SHA-256 of <paramref name="content"/> (UTF-8).</summary>
    public static string Seal(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    public static string Word(Nis2Verdict verdict) => verdict switch
    {
        Nis2Verdict.Evidenced => "evidenced",
        Nis2Verdict.Partly => "partly",
        _ => "not covered",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
