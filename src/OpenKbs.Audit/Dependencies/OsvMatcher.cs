using System.Globalization;
using System.Text.Json;
using OpenKbs.Audit.Findings;
using Semver;

namespace OpenKbs.Audit.Dependencies;

/// <summary>
/// Whether an npm package version is affected by an OSV advisory, and how bad the advisory is. The events of each
/// SEMVER or ECOSYSTEM range are sorted and paired into npm ranges (<c>&gt;=introduced &lt;fixed</c>,
/// <c>&gt;=introduced &lt;=last_affected</c>, open-ended <c>&gt;=introduced</c>), which Semver evaluates with npm
/// semantics; prereleases are included (a 4.17.21-beta inside the range is as vulnerable as 4.17.20). An explicit
/// <c>versions</c> list matches exactly. Withdrawn advisories match nothing.
/// </summary>
public static class OsvMatcher
{
    public const string Ecosystem = "npm";

    public static bool TryParseVersion(string version, out SemVersion semver) =>
        SemVersion.TryParse(version.TrimStart('v', '='), SemVersionStyles.Strict, out semver!)
        || SemVersion.TryParse(version, SemVersionStyles.Any, out semver!);

    public static bool IsAffected(OsvAdvisory advisory, string name, string version)
    {
        if (advisory.Withdrawn is not null || !TryParseVersion(version, out var semver))
        {
            return false;
        }

        foreach (var affected in advisory.Affected.Where(a => a.Package is { } p && p.Ecosystem == Ecosystem && p.Name == name))
        {
            if (affected.Versions.Contains(version, StringComparer.Ordinal))
            {
                return true;
            }

            if (affected.Ranges.Where(r => r.Type is "SEMVER" or "ECOSYSTEM").SelectMany(NpmRanges).Any(range => range.Contains(semver)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first fixed version after <paramref name="version"/> for this package, if the advisory names one.</summary>
    public static string? FixedVersion(OsvAdvisory advisory, string name, string version)
    {
        if (!TryParseVersion(version, out var current))
        {
            return null;
        }

        return advisory.Affected
            .Where(a => a.Package is { } p && p.Ecosystem == Ecosystem && p.Name == name)
            .SelectMany(a => a.Ranges)
            .SelectMany(r => r.Events)
            .Select(e => e.Fixed)
            .Where(f => f is not null && TryParseVersion(f, out var v) && v.ComparePrecedenceTo(current) > 0)
            .OrderBy(f => Parse(f!), SemVersion.PrecedenceComparer)
            .FirstOrDefault();
    }

    /// <summary>The npm ranges a range's events describe.</summary>
    public static IEnumerable<SemVersionRange> NpmRanges(OsvRange range)
    {
        var events = range.Events
            .Select(e => (Event: e, Version: e.Introduced ?? e.Fixed ?? e.LastAffected ?? e.Limit))
            .Where(e => e.Version is not null)
            .Select(e => (e.Event, Sort: e.Version == "0" ? null : TryParseVersion(e.Version!, out var v) ? v : null, e.Version))
            .Where(e => e.Version == "0" || e.Sort is not null)
            .OrderBy(e => e.Sort, Comparer<SemVersion?>.Create((a, b) => a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.ComparePrecedenceTo(b)))
            .ToList();
        var limit = events.FirstOrDefault(e => e.Event.Limit is not null).Version;
        string? open = null;
        foreach (var (osvEvent, _, version) in events)
        {
            if (osvEvent.Introduced is not null)
            {
                open ??= version == "0" ? "0.0.0-0" : version;
            }
            else if (open is not null && osvEvent.Fixed is not null)
            {
                yield return Npm($">={open} <{version}");
                open = null;
            }
            else if (open is not null && osvEvent.LastAffected is not null)
            {
                yield return Npm($">={open} <={version}");
                open = null;
            }
        }

        if (open is not null)
        {
            yield return Npm(limit is null ? $">={open}" : $">={open} <{limit}");
        }
    }

    /// <summary>
    /// The advisory's severity: GHSA's database_specific.severity (LOW, MODERATE, HIGH, CRITICAL) when present, else the
    /// highest CVSS v3 base score in <c>severity</c> (9.0 critical, 7.0 high, 4.0 medium, else low); MAL- records
    /// (malicious packages) are critical; with neither, medium.
    /// </summary>
    public static (Severity Severity, double? Score) SeverityOf(OsvAdvisory advisory)
    {
        var score = advisory.Severity
            .Where(s => s.Type.StartsWith("CVSS_V3", StringComparison.Ordinal))
            .Select(s => Cvss3.BaseScore(s.Score))
            .Where(s => s is not null)
            .Max();
        if (advisory.Id.StartsWith("MAL-", StringComparison.Ordinal))
        {
            return (Severity.Critical, score ?? 10.0);
        }

        if (advisory.DatabaseSpecific is { ValueKind: JsonValueKind.Object } specific && specific.TryGetProperty("severity", out var named) && named.ValueKind == JsonValueKind.String)
        {
            var severity = named.GetString()!.ToUpperInvariant() switch
            {
                "CRITICAL" => Severity.Critical,
                "HIGH" => Severity.High,
                "MODERATE" or "MEDIUM" => Severity.Medium,
                "LOW" => Severity.Low,
                _ => (Severity?)null,
            };
            if (severity is { } s)
            {
                return (s, score);
            }
        }

        return score switch
        {
            >= 9.0 => (Severity.Critical, score),
            >= 7.0 => (Severity.High, score),
            >= 4.0 => (Severity.Medium, score),
            > 0 => (Severity.Low, score),
            _ => (Severity.Medium, null),
        };
    }

    /// <summary>CWE numbers from database_specific.cwe_ids ("CWE-1321").</summary>
    public static IReadOnlyList<int> Cwes(OsvAdvisory advisory)
    {
        if (advisory.DatabaseSpecific is not { ValueKind: JsonValueKind.Object } specific || !specific.TryGetProperty("cwe_ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return ids.EnumerateArray()
            .Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : null)
            .Select(s => s is not null && s.StartsWith("CWE-", StringComparison.OrdinalIgnoreCase) && int.TryParse(s.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n > 0)
            .ToList();
    }

    private static SemVersionRange Npm(string range) => SemVersionRange.ParseNpm(range, includeAllPrerelease: true);

    private static SemVersion Parse(string version) => TryParseVersion(version, out var v) ? v : throw new FormatException(version);
}
