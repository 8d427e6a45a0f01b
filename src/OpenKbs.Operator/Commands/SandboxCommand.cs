using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs sandbox ARGS`: runs the separate `openkbs-sandbox` executable with the same arguments (the operator carries
/// no sandbox). It is found next to this executable, else as the same configuration's build of the checkout this
/// executable (or the current directory) belongs to; a production image has neither and says so.
/// </summary>
internal static partial class SandboxCommand
{
    /// <summary>The exit code when no openkbs-sandbox is found.</summary>
    public const int NotInstalled = 127;

    private const string SandboxDll = "openkbs-sandbox.dll";

    public static Command Create()
    {
        var arguments = new Argument<string[]>("arguments") { Description = "Arguments of openkbs-sandbox (see `openkbs sandbox --help`).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(
            "sandbox",
            "Run a local Kubernetes-compatible API server and moto (AWS) for development: the openkbs-sandbox executable of a checkout, with these arguments.")
        {
            arguments,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) =>
        {
            var forwarded = parse.GetValue(arguments)!.Concat(parse.UnmatchedTokens).ToList();
            return RunAsync(forwarded, Console.Error);
        });
        return command;
    }

    /// <summary>Where openkbs-sandbox.dll is: next to this executable, else in the checkout of this executable or of the current directory.</summary>
    public static string? Find(string baseDirectory, string currentDirectory, string configuration)
    {
        var beside = Path.Combine(baseDirectory, SandboxDll);
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (var start in new[] { baseDirectory, currentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var built = Path.Combine(dir.FullName, "src", "OpenKbs.Sandbox.Host", "bin", configuration, "net10.0", SandboxDll);
                if (File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")) && File.Exists(built))
                {
                    return built;
                }
            }
        }

        return null;
    }

    /// <summary>Runs openkbs-sandbox with <paramref name="arguments"/>, passing SIGINT/SIGTERM on; returns its exit code.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter error) =>
        RunAsync(arguments, error, AppContext.BaseDirectory, Directory.GetCurrentDirectory());

    /// <summary>As above, looking from <paramref name="baseDirectory"/> and <paramref name="currentDirectory"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter error, string baseDirectory, string currentDirectory)
    {
        var configuration = typeof(SandboxCommand).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        if (Find(baseDirectory, currentDirectory, configuration) is not { } dll)
        {
            await error.WriteLineAsync(
                $"openkbs sandbox: openkbs-sandbox is not installed here. The sandbox is a development tool and not part of the operator image; "
                + $"from a checkout, build it first (make build, or dotnet build src/OpenKbs.Sandbox.Host -c {configuration}).").ConfigureAwait(false);
            return NotInstalled;
        }

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var sandbox = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        void PassOn(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = SendSignal(sandbox.Id, context.Signal == PosixSignal.SIGINT ? SigInt : SigTerm);
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, PassOn);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, PassOn);
        await sandbox.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return sandbox.ExitCode;
    }

    private const int SigInt = 2;
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SendSignal(int pid, int signal);
}
