using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs audit ...`: the audit verbs: scan an artifact for security findings, and verify and export the durable audit trail.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Audit: scan an artifact for security findings (scan); verify and export the durable audit trail of AWS changes (verify, export).")
    {
        AuditScanCommand.Create(),
        AuditVerifyCommand.Create(),
        AuditExportCommand.Create(),
    };
}
