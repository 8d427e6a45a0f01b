namespace OpenKbs.Audit.Findings;

/// <summary>Where in the artifact a finding is: a path relative to the artifact root ('/' separators), 1-based line and column.</summary>
public sealed record SourceLocation(string Path, int Line, int Column = 1, int? EndLine = null, int? EndColumn = null);
