using System.Text.RegularExpressions;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Secrets;

/// <summary>How far a rule is trusted outside the application's own source.</summary>
internal enum SecretRuleScope
{
    /// <summary>A format with a fixed shape (key block, key prefix): reported everywhere, third-party packages at low.</summary>
    Format,

    /// <summary>A heuristic (secret-like name, high entropy): not in third-party packages or lockfiles; test code at low.</summary>
    Heuristic,
}

/// <summary>
/// One secret detector, as data: the pattern (compiled non-backtracking, so hostile input cannot make it slow), the group
/// that holds the value, the entropy floor, an extra acceptance test and the texts the report shows.
/// </summary>
internal sealed record SecretRule(
    string Id,
    string Title,
    int Cwe,
    Severity Severity,
    Regex Pattern,
    int ValueGroup,
    string Impact,
    string Remediation)
{
    public SecretRuleScope Scope { get; init; } = SecretRuleScope.Format;

    /// <summary>A prefix that names the kind of key and may be shown in a mask (e.g. "AKIA").</summary>
    public string? PublicPrefix { get; init; }

    public double MinEntropy { get; init; }

    /// <summary>Further acceptance of a value, given its match and the whole text, e.g. placeholder and allow-list checks.</summary>
    public Func<string, Match, string, bool>? Accept { get; init; }

    /// <summary>Only files whose path this accepts are scanned by the rule (null: every text file).</summary>
    public Func<string, bool>? Files { get; init; }

    public static Regex Compile(string pattern, RegexOptions extra = RegexOptions.None) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | extra);
}
