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
        };
        return root.Parse(args).InvokeAsync();
    }
}
