using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;

namespace OpenKbs.Audit.Reports;

/// <summary>
/// SARIF 2.1.0, written with System.Text.Json: one run per check (its own tool name and automationDetails id, so code
/// scanning keeps them apart), rules from the findings (tags <c>security</c>, <c>external/cwe/cwe-N</c> and the NIS2
/// points, <c>security-severity</c>), results with the location, a code flow for taint traces, partialFingerprints
/// from the finding's stable fingerprint, and SARIF suppressions for accepted findings.
/// </summary>
public static class SarifReport
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    public static RenderedReport Render(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var runs = new JsonArray();
        foreach (var check in result.Checks)
        {
            runs.Add(Run(result, check));
        }

        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = runs,
        };
        var text = log.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return new RenderedReport("sarif", "application/sarif+json", Encoding.UTF8.GetBytes(text + "\n"));
    }

    private static JsonObject Run(AuditResult result, CheckRun check)
    {
        var assessed = result.Gate.Findings.Where(f => f.Finding.Analyzer == check.Name).ToList();
        var rules = assessed
            .GroupBy(a => a.Finding.RuleId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Findings: g.Select(a => a.Finding).ToList()))
            .ToList();
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

        var results = new JsonArray();
        foreach (var a in assessed)
        {
            results.Add(Result(a, ruleIndex[a.Finding.RuleId]));
        }

        var notifications = new JsonArray();
        if (check.Status != CheckStatus.Completed)
        {
            notifications.Add(new JsonObject
            {
                ["level"] = "error",
                ["message"] = new JsonObject { ["text"] = $"{check.Name} {check.Status.ToString().ToLowerInvariant()}: {check.Message}" },
            });
        }

        var invocation = new JsonObject
        {
            ["executionSuccessful"] = check.Status == CheckStatus.Completed,
            ["startTimeUtc"] = result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["endTimeUtc"] = result.FinishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (notifications.Count > 0)
        {
            invocation["toolExecutionNotifications"] = notifications;
        }

        var properties = new JsonObject
        {
            ["artifact"] = result.Artifact.Subject,
            ["artifactSha256"] = result.Artifact.Sha256,
            ["checkStatus"] = check.Status.ToString(),
            ["verdict"] = result.Verdict.ToString(),
        };
        if (result.Artifact.Source is { } source)
        {
            properties["artifactSource"] = source;
        }

        if (check.Provenance is not null)
        {
            properties["provenance"] = check.Provenance;
        }

        return new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = $"openkbs-audit-{check.Name}",
                    ["fullName"] = $"OpenKBS audit, {check.Name} check",
                    ["version"] = result.ToolVersion,
                    ["semanticVersion"] = SemanticVersion(result.ToolVersion),
                    ["informationUri"] = "https://openkbs.com/docs/audit",
                    ["rules"] = new JsonArray([.. rules.Select(r => Rule(r.Id, r.Findings))]),
                },
            },
            ["automationDetails"] = new JsonObject { ["id"] = $"openkbs-audit/{check.Name}/" },
            ["invocations"] = new JsonArray(invocation),
            ["columnKind"] = "utf16CodeUnits",
            ["results"] = results,
            ["properties"] = properties,
        };
    }

    private static JsonObject Rule(string id, List<Finding> findings)
    {
        var first = findings[0];
        var worst = findings.Max(f => f.Severity);
        var tags = new JsonArray("security");
        foreach (var cwe in findings.Select(f => f.Cwe).Where(c => c is not null).Distinct())
        {
            tags.Add($"external/cwe/cwe-{cwe}");
        }

        foreach (var tag in Nis2.Tags)
        {
            tags.Add(tag);
        }

        var help = $"Why it matters: {first.Impact ?? first.Title}\n\nHow to fix: {first.Remediation ?? "See the finding."}";
        return new JsonObject
        {
            ["id"] = id,
            ["name"] = RuleName(id),
            ["shortDescription"] = new JsonObject { ["text"] = first.Title },
            ["fullDescription"] = new JsonObject { ["text"] = first.Impact ?? first.Title },
            ["help"] = new JsonObject
            {
                ["text"] = help,
                ["markdown"] = $"**Why it matters.** {first.Impact ?? first.Title}\n\n**How to fix.** {first.Remediation ?? "See the finding."}",
            },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Severities.Level(worst) },
            ["properties"] = new JsonObject
            {
                ["tags"] = tags,
                ["security-severity"] = Severities.SecuritySeverity(worst),
                ["precision"] = first.Analyzer == "code" ? "high" : "medium",
                ["problem.severity"] = worst >= Severity.High ? "error" : worst == Severity.Medium ? "warning" : "recommendation",
            },
        };
    }

    private static JsonObject Result(AssessedFinding assessed, int ruleIndex)
    {
        var f = assessed.Finding;
        var result = new JsonObject
        {
            ["ruleId"] = f.RuleId,
            ["ruleIndex"] = ruleIndex,
            ["level"] = Severities.Level(f.Severity),
            ["kind"] = "fail",
            ["message"] = new JsonObject { ["text"] = f.Message },
        };
        if (f.Location is { } location)
        {
            result["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = Physical(location) });
        }
        else if (f.Resource is { } resource)
        {
            result["locations"] = new JsonArray(new JsonObject
            {
                ["logicalLocations"] = new JsonArray(new JsonObject { ["fullyQualifiedName"] = resource, ["kind"] = "resource" }),
            });
        }

        if (f.Trace.Count > 0)
        {
            result["codeFlows"] = new JsonArray(new JsonObject
            {
                ["threadFlows"] = new JsonArray(new JsonObject
                {
                    ["locations"] = new JsonArray([.. f.Trace.Select(step => (JsonNode)new JsonObject
                    {
                        ["location"] = new JsonObject
                        {
                            ["physicalLocation"] = Physical(step.Location),
                            ["message"] = new JsonObject { ["text"] = step.Note },
                        },
                    })]),
                }),
            });
        }

        // Our fingerprint has no line numbers, so it survives edits elsewhere in the file and across versions.
        result["partialFingerprints"] = new JsonObject
        {
            ["openkbsFingerprint/v1"] = f.Fingerprint,
            ["primaryLocationLineHash"] = f.Fingerprint[..Math.Min(16, f.Fingerprint.Length)] + ":1",
        };
        if (assessed.SuppressedBy is { } suppression)
        {
            result["suppressions"] = new JsonArray(new JsonObject
            {
                ["kind"] = "external",
                ["status"] = "accepted",
                ["justification"] = $"{suppression.Reason} (until {suppression.Expires:yyyy-MM-dd}{(suppression.ApprovedBy is { } who ? $", approved by {who}" : string.Empty)})",
            });
        }

        var properties = new JsonObject
        {
            ["severity"] = Severities.Name(f.Severity),
            ["blocksDeployment"] = assessed.Blocks,
        };
        if (f.Evidence is not null)
        {
            properties["evidence"] = f.Evidence;
        }

        if (f.Cwe is { } cwe)
        {
            properties["cwe"] = $"CWE-{cwe}";
        }

        if (assessed.ExpiredSuppression is { } expired)
        {
            properties["expiredSuppression"] = $"{expired.Reason} (expired {expired.Expires:yyyy-MM-dd})";
        }

        result["properties"] = properties;
        return result;
    }

    private static JsonObject Physical(SourceLocation location)
    {
        var region = new JsonObject { ["startLine"] = Math.Max(1, location.Line), ["startColumn"] = Math.Max(1, location.Column) };
        if (location.EndLine is { } endLine)
        {
            region["endLine"] = endLine;
        }

        if (location.EndColumn is { } endColumn)
        {
            region["endColumn"] = endColumn;
        }

        return new JsonObject
        {
            ["artifactLocation"] = new JsonObject { ["uri"] = Uri(location.Path), ["uriBaseId"] = "%SRCROOT%" },
            ["region"] = region,
        };
    }

    /// <summary>A relative URI reference for an artifact path: each segment percent-encoded, '/' kept.</summary>
    private static string Uri(string path) => string.Join('/', path.Split('/').Select(System.Uri.EscapeDataString));

    /// <summary>"js/sql-injection" to "JsSqlInjection".</summary>
    private static string RuleName(string id)
    {
        var builder = new StringBuilder();
        foreach (var part in id.Split(['/', '-', '_', '.'], StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
        }

        return builder.ToString();
    }

    private static string SemanticVersion(string version) =>
        Semver.SemVersion.TryParse(version, Semver.SemVersionStyles.Any, out var v) ? v.ToString() : "0.0.0";
}
