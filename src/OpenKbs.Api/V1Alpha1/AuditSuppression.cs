using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// An accepted finding: it does not count against failOn until it expires. Matched by the finding's fingerprint (from the
/// report: SARIF partialFingerprints, JSON fingerprint), or by its rule and optionally a path glob (<c>*</c> within a folder,
/// <c>**</c> across folders). A reason and an expiry date are required; it suppresses through the end of that day (UTC), at
/// most one year after the AuditRun was created (the controller ends a run with a later expiry with
/// TerminalInvalidSuppression). Expired suppressions no longer suppress and the report lists them as expired.
/// </summary>
[CelRule(
    "has(self.fingerprint) != has(self.ruleId)",
    "a suppression names either a fingerprint or a ruleId (with an optional path), not both",
    Reason = CelReasons.FieldValueRequired)]
[CelRule(
    "!has(self.path) || has(self.ruleId)",
    "path narrows a ruleId: a suppression with a path needs a ruleId",
    FieldPath = ".path")]
public sealed record AuditSuppression
{
    /// <summary>The finding's fingerprint (hex, as the reports show it).</summary>
    [Pattern("^[0-9a-fA-F]{16,128}$")]
    public string? Fingerprint { get; init; }

    /// <summary>The rule of the findings to accept, e.g. <c>js/sql-injection</c>.</summary>
    [MaxLength(128)]
    [Pattern("^[A-Za-z0-9][A-Za-z0-9._/:-]*$")]
    public string? RuleId { get; init; }

    /// <summary>With ruleId: only findings at this path (the artifact's file, or the resource), exact or a glob.</summary>
    [MinLength(1)]
    [MaxLength(512)]
    public string? Path { get; init; }

    /// <summary>Why the finding is accepted (required: it appears in every report).</summary>
    [MinLength(1)]
    [MaxLength(1024)]
    [Pattern("\\S")]
    public required string Reason { get; init; }

    /// <summary>The last day the suppression applies (UTC), <c>YYYY-MM-DD</c>, e.g. <c>2027-03-31</c>.</summary>
    [MaxLength(10)]
    [Pattern("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    public required string Expires { get; init; }

    /// <summary>Who accepted the risk (a name or an email), shown in the reports.</summary>
    [MaxLength(256)]
    public string? ApprovedBy { get; init; }
}
