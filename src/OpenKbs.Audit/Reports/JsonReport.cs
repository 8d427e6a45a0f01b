using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Reports;

/// <summary>The whole run as JSON (<c>schemaVersion</c> openkbs.audit/v1), for pipelines and the AuditRun summary.</summary>
public static class JsonReport
{
    public static RenderedReport Render(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var root = new JsonObject
        {
            ["schemaVersion"] = AuditResult.SchemaVersion,
            ["tool"] = new JsonObject { ["name"] = "openkbs-audit", ["version"] = result.ToolVersion },
            ["artifact"] = new JsonObject
            {
                ["subject"] = result.Artifact.Subject,
                ["source"] = result.Artifact.Source,
                ["sha256"] = result.Artifact.Sha256,
                ["format"] = result.Artifact.Format,
                ["fileCount"] = result.Artifact.FileCount,
                ["totalBytes"] = result.Artifact.TotalBytes,
                ["notes"] = new JsonArray([.. result.Artifact.Notes.Select(n => (JsonNode)new JsonObject { ["path"] = n.Path, ["kind"] = n.Kind.ToString(), ["reason"] = n.Reason })]),
            },
            ["startedAt"] = result.StartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["finishedAt"] = result.FinishedAt.ToString("O", CultureInfo.InvariantCulture),
            ["policy"] = new JsonObject { ["failOn"] = Severities.Name(result.Policy.FailOn), ["allowIncomplete"] = result.Policy.AllowIncomplete },
            ["verdict"] = result.Verdict.ToString(),
            ["reasons"] = new JsonArray([.. result.Gate.Reasons.Select(r => (JsonNode)r)]),
            ["summary"] = Summary(result),
            ["checks"] = new JsonArray([.. result.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["status"] = c.Status.ToString(),
                ["durationMs"] = (long)c.Duration.TotalMilliseconds,
                ["findings"] = c.FindingCount,
                ["message"] = c.Message,
                ["provenance"] = c.Provenance,
            })]),
            ["findings"] = new JsonArray([.. result.Gate.Findings.Select(a => (JsonNode)new JsonObject
            {
                ["check"] = a.Finding.Analyzer,
                ["ruleId"] = a.Finding.RuleId,
                ["severity"] = Severities.Name(a.Finding.Severity),
                ["cwe"] = a.Finding.Cwe,
                ["title"] = a.Finding.Title,
                ["message"] = a.Finding.Message,
                ["location"] = a.Finding.Location is { } l ? new JsonObject { ["path"] = l.Path, ["line"] = l.Line, ["column"] = l.Column } : null,
                ["resource"] = a.Finding.Resource,
                ["evidence"] = a.Finding.Evidence,
                ["impact"] = a.Finding.Impact,
                ["remediation"] = a.Finding.Remediation,
                ["trace"] = new JsonArray([.. a.Finding.Trace.Select(t => (JsonNode)new JsonObject { ["path"] = t.Location.Path, ["line"] = t.Location.Line, ["column"] = t.Location.Column, ["note"] = t.Note })]),
                ["fingerprint"] = a.Finding.Fingerprint,
                ["blocks"] = a.Blocks,
                ["suppressed"] = a.SuppressedBy is { } s ? new JsonObject { ["reason"] = s.Reason, ["expires"] = s.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["approvedBy"] = s.ApprovedBy } : null,
                ["expiredSuppression"] = a.ExpiredSuppression is { } e ? new JsonObject { ["reason"] = e.Reason, ["expires"] = e.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } : null,
            })]),
            ["suppressions"] = new JsonArray([.. result.Gate.Suppressions.Select(o => (JsonNode)new JsonObject
            {
                ["fingerprint"] = o.Suppression.Fingerprint,
                ["ruleId"] = o.Suppression.RuleId,
                ["path"] = o.Suppression.Path,
                ["reason"] = o.Suppression.Reason,
                ["expires"] = o.Suppression.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["approvedBy"] = o.Suppression.ApprovedBy,
                ["state"] = o.State.ToString(),
                ["matched"] = o.Matched,
            })]),
        };
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return new RenderedReport("json", "application/json", Encoding.UTF8.GetBytes(text + "\n"));
    }

    /// <summary>Open counts per severity, suppressed and blocking totals.</summary>
    public static JsonObject Summary(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = new JsonObject();
        foreach (var severity in Enum.GetValues<Severity>().OrderDescending())
        {
            summary[Severities.Name(severity)] = result.OpenCounts[severity];
        }

        summary["suppressed"] = result.Gate.Findings.Count(f => f.SuppressedBy is not null);
        summary["blocking"] = result.Gate.Findings.Count(f => f.Blocks);
        return summary;
    }
}
