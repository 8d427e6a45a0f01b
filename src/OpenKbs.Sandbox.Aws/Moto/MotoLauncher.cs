using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenKbs.Sandbox.Aws.Moto;

/// <summary>
/// Starts <c>moto_server</c> (the AWS emulator) on loopback. The one launcher of the project: the
/// sandbox command and the test fixture both use it.
/// </summary>
public static class MotoLauncher
{
    /// <summary>Environment variable that names the moto_server executable (path or name).</summary>
    public const string ExecutableVariable = "OPENKBS_MOTO_SERVER";

    private const string DefaultExecutable = "moto_server";

    // The wrapper runs moto in the background and kills it when our end of its stdin pipe closes,
    // which also happens when this process dies without running any cleanup.
    private const string WatchdogScript =
        """
        exec 3<&0
        "$@" </dev/null 3<&- &
        m=$!
        ( read -r _ <&3; kill "$m" 2>/dev/null ) &
        w=$!
        wait "$m"
        rc=$?
        kill "$w" 2>/dev/null
        exit $rc
        """;

    private static readonly HttpClient Probe = new(new SocketsHttpHandler { UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Finds the executable to run, or throws <see cref="MotoNotFoundException"/> with an install hint.</summary>
    public static string ResolveExecutable(string? executable = null)
    {
        var name = executable ?? Environment.GetEnvironmentVariable(ExecutableVariable);
        if (string.IsNullOrWhiteSpace(name))
        {
            name = DefaultExecutable;
        }

        if (name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : throw new MotoNotFoundException(name);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new MotoNotFoundException(name);
    }

    /// <summary>Starts moto and returns once it answers HTTP.</summary>
    /// <exception cref="MotoNotFoundException">No moto_server executable.</exception>
    /// <exception cref="InvalidOperationException">It started but did not come up; the message holds its output.</exception>
    public static async Task<MotoServer> StartAsync(MotoServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MotoServerOptions();
        var executable = ResolveExecutable(options.Executable);
        var attempts = options.Port == 0 ? 3 : 1;
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : FreePort(options.Host);
            var log = new MotoOutputLog(options.LogFile);
            var process = Launch(executable, options, port, log);
            var server = new MotoServer(process, log, options.Host, port);
            try
            {
                await WaitUntilServingAsync(server, process, options.StartTimeout, cancellationToken);
                return server;
            }
            catch (MotoPortTakenException) when (attempt < attempts)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A port that is free on <paramref name="host"/> right now.</summary>
    public static int FreePort(string host = "127.0.0.1")
    {
        using var listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Process Launch(string executable, MotoServerOptions options, int port, MotoOutputLog log)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", WatchdogScript, "openkbs-moto", executable, "-H", options.Host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in options.Environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new MotoNotFoundException(executable, e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilServingAsync(MotoServer server, Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var probe = new Uri(server.Endpoint, "/moto-api/");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Give the output readers a moment to drain before reporting.
                await process.WaitForExitAsync(cancellationToken);
                var output = server.RecentOutput;
                if (output.Contains("already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new MotoPortTakenException();
                }

                if (process.ExitCode == 127)
                {
                    throw new MotoNotFoundException(process.StartInfo.ArgumentList[3]);
                }

                throw new InvalidOperationException($"moto_server exited with code {process.ExitCode} before serving on port {server.Port}. Output:\n{output}");
            }

            try
            {
                using var response = await Probe.GetAsync(probe, cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Probe timed out.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException($"moto_server did not answer on port {server.Port} within {timeout.TotalSeconds:0} s. Output:\n{server.RecentOutput}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private sealed class MotoPortTakenException : Exception;
}
