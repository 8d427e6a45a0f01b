namespace OpenKbs.Audit.Findings;

/// <summary>
/// One finding of one analyzer, in the single model every analyzer reports into and every report writer reads.
/// <see cref="Evidence"/> is what a person needs to see the problem (a code excerpt, a masked secret, a package and
/// version); it never holds a secret's value. <see cref="Fingerprint"/> is stable across versions of the same code
/// (it must not contain line numbers), so a finding can be tracked and suppressed.
/// </summary>
public sealed record Finding
{
    /// <summary>The analyzer: code, secrets, dependencies or infrastructure.</summary>
    public required string Analyzer { get; init; }

    /// <summary>The rule, e.g. <c>js/sql-injection</c>; one rule, one CWE.</summary>
    public required string RuleId { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>CWE number (89 for SQL injection), or null where none applies.</summary>
    public int? Cwe { get; init; }

    /// <summary>A one-line title, e.g. "SQL injection".</summary>
    public required string Title { get; init; }

    /// <summary>What was found here, in a sentence.</summary>
    public required string Message { get; init; }

    /// <summary>Where, or null for findings about the whole artifact or a live AWS object (then see <see cref="Resource"/>).</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>An AWS ARN or other resource name for infrastructure findings.</summary>
    public string? Resource { get; init; }

    /// <summary>What a person reads to see the problem; never a secret value.</summary>
    public string? Evidence { get; init; }

    /// <summary>Why it matters.</summary>
    public string? Impact { get; init; }

    /// <summary>How to fix it.</summary>
    public string? Remediation { get; init; }

    /// <summary>For taint findings: the steps from source to sink, each a location with a short note.</summary>
    public IReadOnlyList<TraceStep> Trace { get; init; } = [];

    /// <summary>A stable identity across versions (no line numbers), e.g. SHA-256 of rule + path + sink text.</summary>
    public required string Fingerprint { get; init; }
}

/// <summary>One step of a taint trace.</summary>
public sealed record TraceStep(SourceLocation Location, string Note);
