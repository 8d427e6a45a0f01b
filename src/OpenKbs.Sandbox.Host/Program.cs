namespace OpenKbs.Sandbox.Host;

/// <summary>The `openkbs-sandbox` executable; `openkbs sandbox ARGS` runs it with the same arguments.</summary>
internal static class Program
{
    // SIGINT/SIGTERM cancel the command's token; give the sandbox time to stop cleanly (operator, moto) before
    // System.CommandLine would end the process (its default is 2 s).
    private static Task<int> Main(string[] args) =>
        SandboxCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) });
}
