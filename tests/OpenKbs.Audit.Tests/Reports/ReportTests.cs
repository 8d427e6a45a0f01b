using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Reports;
using OpenKbs.Audit.Tests.Engine;
using OpenKbs.Audit.Tests.Intake;

namespace OpenKbs.Audit.Tests.Reports;

public sealed class ReportTests
{
    private static async Task<AuditResult> RichRunAsync(string prefix = "")
    {
        var minimistFingerprint = (await Scenario.RunAsync(Scenario.Package())).Gate.Findings.Single(f => f.Finding.RuleId == "dependencies/GHSA-xvch-5gv4-984h").Finding.Fingerprint;
        var policy = new AuditPolicy
        {
            Suppressions =
            [
                new Suppression { Fingerprint = minimistFingerprint, Reason = "the CLI parser is not reachable from the handler", Expires = new DateOnly(2027, 1, 31), ApprovedBy = "security@example.com" },
                new Suppression { RuleId = "secrets/stripe-secret-key", Path = "index.js", Reason = "key was revoked", Expires = new DateOnly(2026, 11, 30) },
            ],
        };
        return await Scenario.RunAsync(Scenario.Package(prefix), policy, new TracingAnalyzer());
    }

    private static string Text(RenderedReport report) => Encoding.UTF8.GetString(report.Content);

    [Fact]
    public async Task The_sarif_log_is_valid_against_the_official_schema_with_one_run_per_check()
    {
        var sarif = Text(SarifReport.Render(await RichRunAsync()));

        Assert.Empty(SarifSchema.Errors(sarif));
        var runs = JsonNode.Parse(sarif)!["runs"]!.AsArray();
        Assert.Equal(["openkbs-audit-artifact", "openkbs-audit-secrets", "openkbs-audit-dependencies", "openkbs-audit-code"], runs.Select(r => r!["tool"]!["driver"]!["name"]!.GetValue<string>()));
        Assert.Equal(["openkbs-audit/artifact/", "openkbs-audit/secrets/", "openkbs-audit/dependencies/", "openkbs-audit/code/"], runs.Select(r => r!["automationDetails"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public void The_schema_check_is_not_vacuous()
    {
        const string invalid = """{ "version": "2.1.0", "runs": [ { "tool": { "driver": { "name": "x" } }, "results": [ { "ruleId": "r", "level": "fatal" } ] } ] }""";

        var errors = SarifSchema.Errors(invalid);

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains("/runs/0/results/0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sarif_rules_carry_security_tags_cwe_and_security_severity_and_results_carry_fingerprints_suppressions_and_flows()
    {
        var log = JsonNode.Parse(Text(SarifReport.Render(await RichRunAsync())))!;
        var runs = log["runs"]!.AsArray();
        var code = runs.Single(r => r!["tool"]!["driver"]!["name"]!.GetValue<string>() == "openkbs-audit-code")!;
        var secrets = runs.Single(r => r!["tool"]!["driver"]!["name"]!.GetValue<string>() == "openkbs-audit-secrets")!;
        var dependencies = runs.Single(r => r!["tool"]!["driver"]!["name"]!.GetValue<string>() == "openkbs-audit-dependencies")!;

        var rule = code["tool"]!["driver"]!["rules"]![0]!;
        Assert.Equal("js/sql-injection", rule["id"]!.GetValue<string>());
        Assert.Equal(["security", "external/cwe/cwe-89", "nis2/art-21-2-e", "nis2/art-21-2-f"], rule["properties"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("9.5", rule["properties"]!["security-severity"]!.GetValue<string>());
        var result = code["results"]![0]!;
        Assert.Equal("error", result["level"]!.GetValue<string>());
        Assert.Equal("index.js", result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>());
        Assert.Equal(2, result["codeFlows"]![0]!["threadFlows"]![0]!["locations"]!.AsArray().Count);
        Assert.Equal("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", result["partialFingerprints"]!["openkbsFingerprint/v1"]!.GetValue<string>());

        var stripe = secrets["results"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "secrets/stripe-secret-key")!;
        Assert.Null(stripe["suppressions"]);
        Assert.Contains("expired 2026-11-30", stripe["properties"]!["expiredSuppression"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(stripe["properties"]!["blocksDeployment"]!.GetValue<bool>());
        var minimist = dependencies["results"]![0]!;
        Assert.Equal("accepted", minimist["suppressions"]![0]!["status"]!.GetValue<string>());
        Assert.Contains("security@example.com", minimist["suppressions"]![0]!["justification"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("external/cwe/cwe-1321", dependencies["tool"]!["driver"]!["rules"]![0]!["properties"]!["tags"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partial_fingerprints_stay_the_same_when_lines_move()
    {
        static IEnumerable<string> Fingerprints(AuditResult result) =>
            JsonNode.Parse(Encoding.UTF8.GetString(SarifReport.Render(result).Content))!["runs"]!.AsArray()
                .SelectMany(r => r!["results"]!.AsArray())
                .Select(r => r!["partialFingerprints"]!["openkbsFingerprint/v1"]!.GetValue<string>())
                .Order(StringComparer.Ordinal);

        var before = await RichRunAsync();
        var after = await RichRunAsync("// a comment added above\n\n");

        Assert.NotEqual(
            before.Gate.Findings.Single(f => f.Finding.RuleId == "secrets/stripe-secret-key").Finding.Location,
            after.Gate.Findings.Single(f => f.Finding.RuleId == "secrets/stripe-secret-key").Finding.Location);
        Assert.Equal(Fingerprints(before), Fingerprints(after));
    }

    [Fact]
    public async Task The_markdown_report_has_the_verdict_summary_findings_suppressions_and_nis2_points()
    {
        var markdown = Text(MarkdownReport.Render(await RichRunAsync()));

        Assert.StartsWith("# Security audit report: shop-1.4.2.zip\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Verdict | **FAILED**", markdown, StringComparison.Ordinal);
        Assert.Contains("| Check | Status | Critical | High | Medium | Low | Info | Suppressed |", markdown, StringComparison.Ordinal);
        Assert.Contains("| dependencies | completed | 0 | 0 | 0 | 0 | 0 | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("### 1. [CRITICAL] SQL injection (blocks deployment)", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Why it matters:** An attacker can read or change any row.", markdown, StringComparison.Ordinal);
        Assert.Contains("- **How to fix:** Use a parameterised query.", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Path from input to sink:**", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Suppression expired on 2026-11-30:** key was revoked", markdown, StringComparison.Ordinal);
        Assert.Contains("| rule `secrets/stripe-secret-key` at `index.js` | key was revoked | 2026-11-30 | - | expired | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("Article 21(2)(e)", markdown, StringComparison.Ordinal);
        Assert.Contains("Article 21(2)(f)", markdown, StringComparison.Ordinal);
        Assert.Contains("annex 6.5", markdown, StringComparison.Ordinal);
        Assert.Contains("| `artifact/source-map` |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_from_the_artifact_cannot_inject_markdown_or_html()
    {
        var zip = Archives.Zip(("src/<img src=x onerror=alert(1)>`|.js", "const apiKey = 'Zq81vX0pLmN7rT4wYb6Hs2Kd9Fg3Jc5A';\n"));
        var result = await Scenario.Engine().RunAsync(new AuditRequest { ArtifactBytes = zip, Subject = "evil ```\n# heading" }, CancellationToken.None);

        var markdown = Text(MarkdownReport.Render(result));

        // Outside code spans no '<' survives; inside them (paths) HTML is shown as text by every CommonMark renderer.
        var outsideCode = System.Text.RegularExpressions.Regex.Replace(markdown, "(`+)[^`](?:.*?[^`])??\\1(?!`)", string.Empty);
        Assert.DoesNotContain("<img", outsideCode, StringComparison.Ordinal);
        Assert.DoesNotContain("\n# heading", markdown, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert\\(1\\)&gt;", markdown, StringComparison.Ordinal);
        Assert.Contains("`src/<img src=x onerror=alert(1)>`\\|.js``", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_report_contains_a_secret_value()
    {
        var reports = AuditReports.Render(await RichRunAsync());

        Assert.Equal(["sarif", "markdown", "json"], reports.Select(r => r.Format));
        Assert.All(reports, r => Assert.DoesNotContain(Scenario.StripeKey[8..], Text(r), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_json_report_has_the_verdict_counts_and_findings_and_each_report_its_sha256()
    {
        var result = await RichRunAsync();
        var report = JsonReport.Render(result);
        var json = JsonNode.Parse(Text(report))!;

        Assert.Equal("openkbs.audit/v1", json["schemaVersion"]!.GetValue<string>());
        Assert.Equal("Failed", json["verdict"]!.GetValue<string>());
        Assert.Equal(result.Artifact.Sha256, json["artifact"]!["sha256"]!.GetValue<string>());
        Assert.Equal(1, json["summary"]!["critical"]!.GetValue<int>());
        Assert.Equal(1, json["summary"]!["high"]!.GetValue<int>());
        Assert.Equal(1, json["summary"]!["suppressed"]!.GetValue<int>());
        Assert.Equal(2, json["summary"]!["blocking"]!.GetValue<int>());
        Assert.Equal("Expired", json["suppressions"]![1]!["state"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(report.Content)), report.Sha256);
        Assert.Equal(".json", report.FileExtension);
    }
}
