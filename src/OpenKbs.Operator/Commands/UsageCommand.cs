using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs usage ...`: the daily consumption figures the operator keeps in the audit store (docs/usage.md).</summary>
internal static class UsageCommand
{
    public static Command Create(TimeProvider clock) => new("usage", "Consumption by project and period, from the daily figures kept in the audit store (export).")
    {
        UsageExportCommand.Create(clock),
    };
}
