using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Reports;

/// <summary>How severities read in each format.</summary>
internal static class Severities
{
    /// <summary>GitHub code scanning's security-severity (0-10): >= 9 critical, >= 7 high, >= 4 medium, else low.</summary>
    public static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => "0.0",
    };

    /// <summary>SARIF level: critical and high are errors, medium a warning, low and info notes.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();
}
