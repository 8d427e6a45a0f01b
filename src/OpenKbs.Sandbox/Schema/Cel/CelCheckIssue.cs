namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A compile-time problem in a CEL expression, positioned like cel-go (line 1-based, column 1-based).</summary>
internal sealed record CelCheckIssue(int Line, int Column, string Message);
