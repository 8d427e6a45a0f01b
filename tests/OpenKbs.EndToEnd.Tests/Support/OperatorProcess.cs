using System.Diagnostics;
using System.Text;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>
/// <c>openkbs run</c> as a separate process (the built <c>openkbs.dll</c>), pointed at a kubeconfig and an AWS endpoint
/// through the standard AWS environment (what the sandbox's aws.env holds), with short waits. <see cref="Kill"/> is SIGKILL.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OperatorProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 6000 ? text[^6000..] : text;
            }
        }
    }

    /// <summary>The AWS environment of the sandbox's aws.env for <paramref name="endpoint"/>: dummy credentials, EU region, endpoint.</summary>
    public static Dictionary<string, string> AwsEnvironment(Uri endpoint) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = MotoDefaults.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = MotoDefaults.SecretAccessKey,
        ["AWS_REGION"] = MotoDefaults.Region,
        ["AWS_DEFAULT_REGION"] = MotoDefaults.Region,
        ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/'),
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>Short waits so a test converges in seconds (the production waits are named in ClientAccountWaits).</summary>
    public static Dictionary<string, string> FastWaits() => new()
    {
        ["OPENKBS_ClientAccount__WaitWhileAccountCreating"] = "00:00:00.200",
        ["OPENKBS_ClientAccount__WaitAtQueueHead"] = "00:00:00.100",
        ["OPENKBS_ClientAccount__WaitWhileQueued"] = "00:00:02",
        ["OPENKBS_ClientAccount__WaitWhileClosing"] = "00:00:00.200",
        ["OPENKBS_ClientAccount__WaitForAccessFirst"] = "00:00:00.200",
        ["OPENKBS_ClientAccount__WaitForAccessMax"] = "00:00:02",
        ["OPENKBS_ClientAccount__WaitBeforeCreateRetry"] = "00:00:00.200",
        ["OPENKBS_Aws__Resilience__BaseDelay"] = "00:00:00.050",
        ["OPENKBS_Aws__Resilience__MaxDelay"] = "00:00:00.500",
        ["OPENKBS_BACKOFF_CAP"] = "2s",
    };

    /// <param name="metricsBindAddress">Where <c>/metrics</c> is served (e.g. <c>127.0.0.1:PORT</c>); "0" (default) serves none.</param>
    public static OperatorProcess Start(string kubeconfig, IEnumerable<string> namespaces, IReadOnlyDictionary<string, string> environment, string metricsBindAddress = "0")
    {
        var arguments = new List<string> { "run", "--kubeconfig", kubeconfig, "--leader-elect", "false",
            "--metrics-bind-address", metricsBindAddress, "--health-probe-bind-address", "0", "--log-format", "text", "--log-level", "Warning" };
        foreach (var ns in namespaces)
        {
            arguments.Add("--namespace");
            arguments.Add(ns);
        }

        return StartVerb(arguments, environment);
    }

    /// <summary><c>dotnet openkbs.dll ARGUMENTS</c> with <paramref name="environment"/> added, output captured.</summary>
    public static OperatorProcess StartVerb(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null) =>
        StartCommand("dotnet", [OpenKbsDll(), .. arguments], environment, workingDirectory);

    /// <summary><paramref name="fileName"/> ARGUMENTS with <paramref name="environment"/> added, output captured.</summary>
    public static OperatorProcess StartCommand(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var result = new OperatorProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM (a clean shutdown, children included), then up to <paramref name="timeout"/>; SIGKILL of the whole tree after that.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hook runs, nothing is flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }

    /// <summary>The built openkbs.dll next to this test assembly's configuration.</summary>
    public static string OpenKbsDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(SandboxFixture.RepositoryRoot(), "src", "OpenKbs.Operator", "bin", configuration, "net10.0", "openkbs.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/OpenKbs.Operator first ({dll} is missing)", dll);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
