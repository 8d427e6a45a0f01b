using System.Text.RegularExpressions;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Gate;

/// <summary>
/// An accepted finding: matched by its <see cref="Fingerprint"/>, or by <see cref="RuleId"/> and optionally
/// <see cref="Path"/> (exact, or a glob where <c>*</c> stays within a folder and <c>**</c> crosses folders). It needs a
/// reason and an expiry date; it suppresses through the end of that day (UTC) and stops suppressing after it, which the
/// report says. <see cref="ApprovedBy"/> names who accepted the risk.
/// </summary>
public sealed record Suppression
{
    public string? Fingerprint { get; init; }

    public string? RuleId { get; init; }

    public string? Path { get; init; }

    public required string Reason { get; init; }

    public required DateOnly Expires { get; init; }

    public string? ApprovedBy { get; init; }

    /// <summary>How the suppression is written in a report: its match and its expiry.</summary>
    public string Describe() =>
        (Fingerprint is not null ? $"fingerprint {Fingerprint}" : $"rule {RuleId}" + (Path is not null ? $" at {Path}" : string.Empty))
        + $" until {Expires:yyyy-MM-dd}";

    /// <summary>A message for each way this suppression is not usable; empty when it is.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Reason))
        {
            yield return $"suppression of {Describe()} has no reason; every accepted finding needs one";
        }

        if (string.IsNullOrWhiteSpace(Fingerprint) && string.IsNullOrWhiteSpace(RuleId))
        {
            yield return "a suppression needs a fingerprint, or a ruleId (with an optional path)";
        }

        if (!string.IsNullOrWhiteSpace(Fingerprint) && (RuleId is not null || Path is not null))
        {
            yield return $"suppression of fingerprint {Fingerprint} must not also name a rule or path (one or the other)";
        }

        if (Expires == default)
        {
            yield return $"suppression of {Describe()} has no expiry date";
        }
    }

    public bool Matches(Finding finding)
    {
        if (Fingerprint is not null)
        {
            return string.Equals(Fingerprint, finding.Fingerprint, StringComparison.OrdinalIgnoreCase);
        }

        if (!string.Equals(RuleId, finding.RuleId, StringComparison.Ordinal))
        {
            return false;
        }

        if (Path is null)
        {
            return true;
        }

        var target = finding.Location?.Path ?? finding.Resource;
        return target is not null && Glob(Path).IsMatch(target);
    }

    public bool IsActive(DateOnly today) => today <= Expires;

    private static Regex Glob(string glob)
    {
        var pattern = "^" + Regex.Escape(glob)
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
