using System.Globalization;
using System.Text;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;

namespace OpenKbs.Audit.Reports;

/// <summary>
/// The report for people (the client, an auditor, a regulator): verdict and why, a summary table, each check's
/// coverage, every finding with its location, evidence, why it matters and how to fix it, every suppression with its
/// state, and the NIS2 points the run is evidence for, with the security-testing record fields of CIR 2024/2690 6.5.
/// Text from the artifact is escaped (inline) or fenced (evidence), so an artifact cannot inject Markdown or HTML.
/// </summary>
public static class MarkdownReport
{
    public static RenderedReport Render(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new StringBuilder();
        var gate = result.Gate;
        var blocking = gate.Blocking.ToList();
        md.Append("# Security audit report: ").Append(Text(result.Artifact.Subject)).Append("\n\n");

        md.Append("| | |\n|---|---|\n");
        Row(md, "Verdict", result.Verdict == Verdict.Passed ? "**PASSED**" : $"**FAILED** ({gate.Reasons.Count} reason(s), {blocking.Count} blocking finding(s))");
        Row(md, "Artifact", Code(result.Artifact.Subject));
        if (result.Artifact.Source is { } source)
        {
            Row(md, "Source", Code(source));
        }

        Row(md, "SHA-256", Code(result.Artifact.Sha256));
        Row(md, "Contents", $"{Text(result.Artifact.Format)}, {result.Artifact.FileCount} files, {result.Artifact.TotalBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        Row(md, "Audited", $"{result.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {Seconds(result.FinishedAt - result.StartedAt)}");
        Row(md, "Checks", string.Join(", ", result.Checks.Select(c => c.Name)));
        Row(md, "Gate", $"fails on {Severities.Name(result.Policy.FailOn)} and above; {(result.Policy.AllowIncomplete ? "incomplete checks are allowed" : "an incomplete check fails the run")}");
        Row(md, "Tool", $"openkbs-audit {Text(result.ToolVersion)}");
        md.Append('\n');

        md.Append("## Verdict\n\n");
        if (result.Verdict == Verdict.Passed)
        {
            md.Append("Passed: no open finding at or above ").Append(Severities.Name(result.Policy.FailOn)).Append(", and every check completed")
                .Append(result.Policy.AllowIncomplete ? " or the policy allows it" : string.Empty).Append(".\n\n");
        }
        else
        {
            md.Append("Failed. Deployment of this artifact is blocked until these are resolved:\n\n");
            foreach (var reason in gate.Reasons)
            {
                md.Append("- ").Append(Text(reason)).Append('\n');
            }

            md.Append('\n');
        }

        Summary(md, result);
        Checks(md, result);
        Findings(md, result);
        Suppressions(md, gate);
        Evidence(md, result);
        return new RenderedReport("markdown", "text/markdown; charset=utf-8", Encoding.UTF8.GetBytes(md.ToString()));
    }

    private static void Summary(StringBuilder md, AuditResult result)
    {
        var severities = Enum.GetValues<Severity>().OrderDescending().ToList();
        md.Append("## Summary\n\n| Check | Status |");
        foreach (var s in severities)
        {
            md.Append(' ').Append(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Severities.Name(s))).Append(" |");
        }

        md.Append(" Suppressed |\n|---|---|").Append(string.Concat(Enumerable.Repeat("---:|", severities.Count + 1))).Append('\n');
        foreach (var check in result.Checks)
        {
            var findings = result.Gate.Findings.Where(f => f.Finding.Analyzer == check.Name).ToList();
            md.Append("| ").Append(Text(check.Name)).Append(" | ").Append(check.Status.ToString().ToLowerInvariant()).Append(" |");
            foreach (var s in severities)
            {
                md.Append(' ').Append(findings.Count(f => f.SuppressedBy is null && f.Finding.Severity == s)).Append(" |");
            }

            md.Append(' ').Append(findings.Count(f => f.SuppressedBy is not null)).Append(" |\n");
        }

        md.Append("| **Total** | |");
        foreach (var s in severities)
        {
            md.Append(" **").Append(result.OpenCounts[s]).Append("** |");
        }

        md.Append(" **").Append(result.Gate.Findings.Count(f => f.SuppressedBy is not null)).Append("** |\n\n");
    }

    private static void Checks(StringBuilder md, AuditResult result)
    {
        md.Append("## Checks\n\n");
        foreach (var check in result.Checks)
        {
            md.Append("- **").Append(Text(check.Name)).Append("**: ").Append(check.Status.ToString().ToLowerInvariant())
                .Append(" in ").Append(Seconds(check.Duration)).Append(", ").Append(check.FindingCount).Append(" finding(s)");
            if (check.Message is not null)
            {
                md.Append("; ").Append(Text(check.Message));
            }

            if (check.Provenance is not null)
            {
                md.Append(". Data: ").Append(Text(check.Provenance));
            }

            md.Append('\n');
        }

        md.Append('\n');
    }

    private static void Findings(StringBuilder md, AuditResult result)
    {
        var detailed = result.Gate.Findings.Where(f => f.Finding.Severity > Severity.Info).ToList();
        var notes = result.Gate.Findings.Where(f => f.Finding.Severity == Severity.Info).ToList();
        md.Append("## Findings\n\n");
        if (detailed.Count == 0)
        {
            md.Append("No findings above info.\n\n");
        }

        var n = 0;
        foreach (var a in detailed)
        {
            var f = a.Finding;
            md.Append("### ").Append(++n).Append(". [").Append(Severities.Name(f.Severity).ToUpperInvariant()).Append("] ").Append(Text(f.Title));
            md.Append(a.Blocks ? " (blocks deployment)" : a.SuppressedBy is not null ? " (suppressed)" : string.Empty).Append("\n\n");
            md.Append("- **Rule:** ").Append(Code(f.RuleId)).Append(f.Cwe is { } cwe ? $" ([CWE-{cwe}](https://cwe.mitre.org/data/definitions/{cwe}.html))" : string.Empty)
                .Append(", check ").Append(Text(f.Analyzer)).Append('\n');
            md.Append("- **Where:** ").Append(Where(f)).Append('\n');
            md.Append("- **Finding:** ").Append(Text(f.Message)).Append('\n');
            if (f.Evidence is not null)
            {
                md.Append("- **Evidence:**\n\n").Append(Fence(f.Evidence, "  ")).Append('\n');
            }

            if (f.Trace.Count > 0)
            {
                md.Append("- **Path from input to sink:**\n");
                var step = 0;
                foreach (var t in f.Trace)
                {
                    md.Append("  ").Append(++step).Append(". ").Append(Code($"{t.Location.Path}:{t.Location.Line}")).Append(' ').Append(Text(t.Note)).Append('\n');
                }
            }

            md.Append("- **Why it matters:** ").Append(Text(f.Impact ?? f.Title)).Append('\n');
            md.Append("- **How to fix:** ").Append(Text(f.Remediation ?? "See the rule.")).Append('\n');
            if (a.SuppressedBy is { } s)
            {
                md.Append("- **Suppressed until ").Append(s.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(":** ").Append(Text(s.Reason))
                    .Append(s.ApprovedBy is { } who ? $" (approved by {Text(who)})" : string.Empty).Append('\n');
            }

            if (a.ExpiredSuppression is { } expired)
            {
                md.Append("- **Suppression expired on ").Append(expired.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(":** ").Append(Text(expired.Reason)).Append('\n');
            }

            md.Append("- **Fingerprint:** ").Append(Code(f.Fingerprint)).Append("\n\n");
        }

        if (notes.Count > 0)
        {
            md.Append("### Notes (info)\n\n| Rule | Where | Note |\n|---|---|---|\n");
            foreach (var a in notes)
            {
                md.Append("| ").Append(Code(a.Finding.RuleId)).Append(" | ").Append(Where(a.Finding)).Append(" | ").Append(Text(a.Finding.Message)).Append(" |\n");
            }

            md.Append('\n');
        }
    }

    private static void Suppressions(StringBuilder md, GateResult gate)
    {
        md.Append("## Suppressions\n\n");
        if (gate.Suppressions.Count == 0)
        {
            md.Append("None: every finding above counts.\n\n");
            return;
        }

        md.Append("| Match | Reason | Expires | Approved by | State | Findings matched |\n|---|---|---|---|---|---:|\n");
        foreach (var o in gate.Suppressions)
        {
            var s = o.Suppression;
            var match = s.Fingerprint is not null ? "fingerprint " + Code(s.Fingerprint) : "rule " + Code(s.RuleId ?? string.Empty) + (s.Path is not null ? " at " + Code(s.Path) : string.Empty);
            md.Append("| ").Append(match).Append(" | ").Append(Text(s.Reason)).Append(" | ").Append(s.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Append(" | ").Append(Text(s.ApprovedBy ?? "-")).Append(" | ").Append(o.State.ToString().ToLowerInvariant()).Append(" | ").Append(o.Matched).Append(" |\n");
        }

        md.Append('\n');
    }

    private static void Evidence(StringBuilder md, AuditResult result)
    {
        var open = result.Gate.Findings.Where(f => f.SuppressedBy is null && f.Finding.Severity > Severity.Info).ToList();
        md.Append("## NIS2 evidence\n\n");
        md.Append("This report records an automated security test of one version of a client solution before deployment. It is evidence for:\n\n");
        md.Append("- NIS2 ").Append(Nis2.PointE).Append(": the artifact was checked for vulnerable code, secrets and known-vulnerable dependencies, every finding is rated, explained and given a fix, and deployment is gated on the result.\n");
        md.Append("- NIS2 ").Append(Nis2.PointF).Append(": the run, its coverage (which checks completed, against which data) and its verdict are recorded with the artifact's digest, so the effectiveness of the measures can be assessed and the run repeated.\n\n");
        md.Append("Security-testing record (Commission Implementing Regulation (EU) 2024/2690, annex 6.5):\n\n");
        md.Append("| | |\n|---|---|\n");
        Row(md, "Type of test", "automated static analysis: " + string.Join(", ", result.Checks.Select(c => c.Name)));
        Row(md, "Scope", $"{Code(result.Artifact.Subject)} (SHA-256 {Code(result.Artifact.Sha256)}), {result.Artifact.FileCount} files");
        Row(md, "Time", $"{result.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} to {result.FinishedAt.UtcDateTime:HH:mm:ss} UTC");
        Row(md, "Results", $"{open.Count} open finding(s): " + string.Join(", ", Enum.GetValues<Severity>().OrderDescending().Where(s => s > Severity.Info).Select(s => $"{result.OpenCounts[s]} {Severities.Name(s)}")) + $"; {result.Gate.Findings.Count(f => f.SuppressedBy is not null)} suppressed");
        Row(md, "Criticality and mitigation", "per finding above (severity, why it matters, how to fix); critical and high findings block deployment unless accepted with a reason and an expiry date");
        Row(md, "Outcome", result.Verdict == Verdict.Passed ? "passed: the version may be deployed" : "failed: the version is not deployed");
    }

    private static void Row(StringBuilder md, string key, string value) => md.Append("| ").Append(key).Append(" | ").Append(value).Append(" |\n");

    private static string Where(Finding f) => f.Location is { } l
        ? $"{Code(l.Path)} line {l.Line}" + (l.Column > 1 ? $", column {l.Column}" : string.Empty)
        : f.Resource is { } r ? Code(r) : "the whole artifact";

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";

    /// <summary>Plain text on one line: Markdown control characters backslash-escaped, '&lt;' '&gt;' '&amp;' as entities (no HTML survives).</summary>
    internal static string Text(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\t')
            {
                builder.Append(' ');
            }
            else if (c is '<' or '>' or '&')
            {
                builder.Append(c switch { '<' => "&lt;", '>' => "&gt;", _ => "&amp;" });
            }
            else if ("\\`*_{}[]()#+!|~".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\').Append(c);
            }
            else if (!char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// An inline code span that holds any text: a fence longer than its longest backtick run, padded when the text
    /// touches a backtick. HTML inside a code span is shown, never rendered; '|' is escaped for tables.
    /// </summary>
    internal static string Code(string value)
    {
        var flat = value.Replace('\n', ' ').Replace('\r', ' ').Replace("|", "\\|", StringComparison.Ordinal);
        var fence = new string('`', LongestRun(flat, '`') + 1);
        var pad = flat.StartsWith('`') || flat.EndsWith('`') || flat.Length == 0 ? " " : string.Empty;
        return $"{fence}{pad}{flat}{pad}{fence}";
    }

    /// <summary>A fenced code block that holds any text, indented for a list item.</summary>
    private static string Fence(string value, string indent)
    {
        var fence = new string('`', Math.Max(3, LongestRun(value, '`') + 1));
        var body = string.Join('\n', value.Split('\n').Select(l => indent + l.TrimEnd('\r')));
        return $"{indent}{fence}text\n{body}\n{indent}{fence}\n";
    }

    private static int LongestRun(string value, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in value)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
