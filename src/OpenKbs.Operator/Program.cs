using System.CommandLine;
using OpenKbs.Operator.Commands;

namespace OpenKbs.Operator;

/// <summary>The `openkbs` executable: one verb per file under Commands/.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("OpenKBS Operator: dedicated AWS accounts and client workloads, declared in Kubernetes.")
        {
            RunCommand.Create(),
            SandboxCommand.Create(),
            CrdsCommand.Create(),
            AuditCommand.Create(),
        };
        // SIGINT/SIGTERM cancel the command's token; give commands time to stop cleanly (operator shutdown, moto) before
        // System.CommandLine would end the process (its default is 2 s).
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) });
    }
}
