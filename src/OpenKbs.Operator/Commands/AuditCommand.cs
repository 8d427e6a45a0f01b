using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs audit ...`: the audit verbs (scan an artifact for security findings).</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Audit: scan an artifact for security findings.")
    {
        AuditScanCommand.Create(),
    };
}
