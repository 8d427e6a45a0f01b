using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OpenKbs.Sandbox.Host;

/// <summary>
/// `openkbs run` as a child process for `--with-operator`: the operator build of the same checkout (or the
/// openkbs.dll next to this executable), pointed at the sandbox's kubeconfig with aws.env's variables. Its output
/// goes to this process's output; stopping sends SIGTERM and waits for a clean shutdown.
/// </summary>
internal sealed partial class OperatorProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;

    private OperatorProcess(Process process) => _process = process;

    /// <summary>Completes with the exit code when the operator exits.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>The openkbs.dll to run: next to this executable, else the same configuration's build in the checkout; null when neither exists.</summary>
    public static string? Find()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "openkbs.dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        var configuration = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
            {
                var built = Path.Combine(dir.FullName, "src", "OpenKbs.Operator", "bin", configuration, "net10.0", "openkbs.dll");
                return File.Exists(built) ? built : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Starts <c>dotnet DLL run --kubeconfig KUBECONFIG</c> with <paramref name="awsEnvironment"/>; metrics and health
    /// probes on free loopback ports and text logs unless the OPENKBS_* environment says otherwise.
    /// </summary>
    public static OperatorProcess Start(string dll, string kubeconfig, IEnumerable<KeyValuePair<string, string>> awsEnvironment)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in new[] { dll, "run", "--kubeconfig", kubeconfig })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, flag, value) in new[]
                 {
                     ("OPENKBS_METRICS_BIND_ADDRESS", "--metrics-bind-address", "127.0.0.1:0"),
                     ("OPENKBS_HEALTH_PROBE_BIND_ADDRESS", "--health-probe-bind-address", "127.0.0.1:0"),
                     ("OPENKBS_LOG_FORMAT", "--log-format", "text"),
                 })
        {
            if (Environment.GetEnvironmentVariable(variable) is null)
            {
                start.ArgumentList.Add(flag);
                start.ArgumentList.Add(value);
            }
        }

        foreach (var (key, value) in awsEnvironment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        return new OperatorProcess(process) { Exited = WaitAsync(process) };
    }

    /// <summary>SIGTERM, then up to <paramref name="timeout"/> for a clean exit; SIGKILL after that. False when it had to be killed.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        _ = Kill(_process.Id, SigTerm);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        _process.Dispose();
    }

    private static async Task<int> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
