using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs audit ...`: the audit verbs (verify and export of the durable audit trail).</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Audit: verify and export the durable audit trail.")
    {
        AuditVerifyCommand.Create(),
        AuditExportCommand.Create(),
    };
}
