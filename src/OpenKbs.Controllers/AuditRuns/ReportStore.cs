using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Reports;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>What a finished audit concluded, as read back from its JSON report.</summary>
internal sealed record ReportSummary(bool Passed, FindingCounts Counts, IReadOnlyList<string> Reasons, string JsonSha256)
{
    /// <summary>The suppressions that had expired when the audit ran ("rule js/xss at a.js until 2026-01-31"): they suppressed nothing.</summary>
    public IReadOnlyList<string> ExpiredSuppressions { get; init; } = [];
}

/// <summary>
/// Where an audit's reports live: the project's own bucket (versioned, KMS-encrypted, handed over with the account) under
/// <c>audits/sha256/&lt;digest&gt;/&lt;failOn&gt;-&lt;check.check...&gt;[-live.&lt;snapshot digest&gt;][-sup.&lt;suppressions digest&gt;]/</c> as <c>report.md</c>, <c>report.sarif</c> and <c>report.json</c>
/// (written last: its presence means the audit of that digest under that policy is complete), and the summary ConfigMap
/// <c>&lt;auditrun&gt;-audit</c> in the namespace (owned by the AuditRun). Never a secret value: the reports mask them.
/// </summary>
internal static class ReportStore
{
    public const string Prefix = "audits/sha256/";
    public const string MarkdownName = "report.md";
    public const string SarifName = "report.sarif";
    public const string JsonName = "report.json";
    public const string SummaryKey = "summary.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The report folder of one digest under one policy (failOn and the checks run) and, when the infrastructure check ran, one
    /// live configuration (<c>-live.&lt;12 hex of the snapshot's SHA-256&gt;</c>): a changed configuration is audited again; and, with
    /// suppressions, their digest as they apply that day (<c>-sup.&lt;12 hex&gt;</c>, <see cref="AuditSuppressions.Key"/>).
    /// </summary>
    public static string PrefixFor(string sha256, FailOnSeverity failOn, IEnumerable<string> checks, string? infrastructureSha256 = null, string? suppressionsKey = null) =>
        $"{Prefix}{sha256}/{failOn.ToString().ToLowerInvariant()}-{string.Join('.', checks.Order(StringComparer.Ordinal))}"
        + (infrastructureSha256 is null ? string.Empty : $"-live.{infrastructureSha256[..12]}")
        + (suppressionsKey is null ? string.Empty : $"-sup.{suppressionsKey}") + "/";

    public static string ConfigMapName(string auditRun) => auditRun.Length <= 247 ? auditRun + "-audit" : auditRun[..247] + "-audit";

    /// <summary>The summary of a complete earlier audit under <paramref name="prefix"/>, or null when there is none.</summary>
    public static async Task<ReportSummary?> ReadSummaryAsync(AuditTarget target, string prefix, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            await target.Member.S3.HeadObjectAsync(new HeadObjectRequest { BucketName = target.Bucket, Key = prefix + JsonName }, cancellationToken);
            using var response = await target.Member.S3.GetObjectAsync(new GetObjectRequest { BucketName = target.Bucket, Key = prefix + JsonName }, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }

        return Parse(bytes);
    }

    /// <summary>Writes the three reports (JSON last) and returns the run's summary.</summary>
    public static async Task<ReportSummary> WriteAsync(AuditTarget target, string prefix, ScanReports reports, CancellationToken cancellationToken)
    {
        var json = reports.Json;
        var artifactSha256 = target.Source.Sha256;
        foreach (var (name, report) in new[] { (MarkdownName, reports.Markdown), (SarifName, reports.Sarif), (JsonName, json) })
        {
            await target.Member.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = target.Bucket,
                Key = prefix + name,
                ContentBody = report.Content,
                ContentType = report.MediaType,
                ServerSideEncryption = "aws:kms",
                SSEKMSKeyId = target.KmsKeyArn,
                Metadata = new Dictionary<string, string> { ["openkbs-sha256"] = report.Sha256, ["openkbs-artifact-sha256"] = artifactSha256 },
            }, cancellationToken);
        }

        return Parse(json.Content);
    }

    /// <summary>Creates or updates the summary ConfigMap of the run.</summary>
    public static async Task WriteConfigMapAsync(AuditPass pass, ReportSummary summary, string prefix, CancellationToken cancellationToken)
    {
        var target = pass.Facts.Require<AuditTarget>();
        var name = ConfigMapName(pass.Name);
        var map = await pass.Caches.ConfigMaps.GetAsync(pass.Namespace, name, cancellationToken) ?? new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = pass.Namespace,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue },
                OwnerReferences = [pass.Owner()],
            },
        };
        var document = new JsonObject
        {
            ["project"] = target.Project.Metadata.Name,
            ["version"] = target.Version,
            ["artifactSha256"] = pass.Status.ArtifactSha256,
            ["verdict"] = summary.Passed ? "Passed" : "Failed",
            ["failOn"] = pass.Spec.FailOn.ToString().ToLowerInvariant(),
            ["findings"] = new JsonObject { ["critical"] = summary.Counts.Critical, ["high"] = summary.Counts.High, ["medium"] = summary.Counts.Medium, ["low"] = summary.Counts.Low, ["suppressed"] = summary.Counts.Suppressed },
            ["expiredSuppressions"] = new JsonArray([.. summary.ExpiredSuppressions.Select(e => (JsonNode)e)]),
            ["reasons"] = new JsonArray([.. summary.Reasons.Select(r => (JsonNode)r)]),
            ["reports"] = new JsonObject
            {
                ["markdown"] = $"s3://{target.Bucket}/{prefix}{MarkdownName}",
                ["sarif"] = $"s3://{target.Bucket}/{prefix}{SarifName}",
                ["json"] = $"s3://{target.Bucket}/{prefix}{JsonName}",
                ["jsonSha256"] = summary.JsonSha256,
            },
        };
        var text = document.ToJsonString(Indented);
        if (map.Data?.TryGetValue(SummaryKey, out var current) == true && current == text)
        {
            return;
        }

        map.Data ??= new Dictionary<string, string>();
        map.Data[SummaryKey] = text;
        await pass.Caches.ConfigMaps.WriteAsync(map, cancellationToken);
    }

    private static ReportSummary Parse(byte[] json)
    {
        var root = JsonNode.Parse(Encoding.UTF8.GetString(json)) as JsonObject
            ?? throw new InvalidDataException("an audit JSON report is not a JSON object");
        var counts = root["summary"] as JsonObject ?? throw new InvalidDataException("an audit JSON report has no summary");
        return new ReportSummary(
            string.Equals((string?)root["verdict"], "Passed", StringComparison.Ordinal),
            new FindingCounts
            {
                Critical = (int?)counts["critical"] ?? 0,
                High = (int?)counts["high"] ?? 0,
                Medium = (int?)counts["medium"] ?? 0,
                Low = (int?)counts["low"] ?? 0,
                Suppressed = (int?)counts["suppressed"] ?? 0,
            },
            [.. (root["reasons"] as JsonArray ?? []).Select(r => (string?)r ?? string.Empty)],
            Convert.ToHexStringLower(SHA256.HashData(json)))
        {
            ExpiredSuppressions = [.. (root["suppressions"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Where(s => string.Equals((string?)s["state"], nameof(SuppressionState.Expired), StringComparison.Ordinal))
                .Select(s => ((string?)s["fingerprint"] is { } f ? $"fingerprint {f}" : $"rule {(string?)s["ruleId"]}" + ((string?)s["path"] is { } p ? $" at {p}" : string.Empty))
                    + $" (expired {(string?)s["expires"]})")],
        };
    }
}
