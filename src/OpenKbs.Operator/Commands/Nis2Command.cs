using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs nis2 ...`: NIS2 Article 21 evidence per client (docs/nis2.md).</summary>
internal static class Nis2Command
{
    public static Command Create(TimeProvider clock) => new("nis2", "NIS2 Art. 21(2)(a)-(j): what the operator can evidence per client namespace (report) and check a copy of a report against the seal listed in the audit store (check).")
    {
        Nis2ReportCommand.Create(clock),
        Nis2Check.Create(),
    };
}
