using System.CommandLine;
using OpenKbs.Operator.Commands;

namespace OpenKbs.Operator;

/// <summary>The `openkbs` executable: one verb per file under Commands/.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        if (args is ["sandbox", .. var sandboxArguments])
        {
            // Passed on untouched (including --help) to the separate openkbs-sandbox executable.
            return SandboxCommand.RunAsync(sandboxArguments, Console.Error);
        }

        var root = new RootCommand("OpenKBS Operator: dedicated AWS accounts and client workloads, declared in Kubernetes.")
        {
            RunCommand.Create(),
            SandboxCommand.Create(),
            CrdsCommand.Create(),
            IamCommand.Create(),
            AuditCommand.Create(),
            UsageCommand.Create(TimeProvider.System),
            Nis2Command.Create(TimeProvider.System),
            IncidentCommand.Create(TimeProvider.System),
            KeysCommand.Create(TimeProvider.System),
        };
        // SIGINT/SIGTERM cancel the command's token; give commands time to stop cleanly (operator shutdown) before
        // System.CommandLine would end the process (its default is 2 s).
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) });
    }
}
