using System.Diagnostics;
using System.Text;

namespace OpenKbs.Testing.Kubectl;

/// <summary>A running kubectl whose stdout and stderr are collected line by line.</summary>
public sealed class KubectlProcess : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    public KubectlProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public bool HasExited => Process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    private void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            sb.AppendLine(line);
        }
    }

    /// <summary>Polls the collected stdout until <paramref name="condition"/> holds; false after the timeout.</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Stdout))
            {
                return true;
            }

            if (HasExited)
            {
                return condition(Stdout);
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async Task<KubectlResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            return new KubectlResult(-1, Stdout, Stderr + $"\n(killed after {timeout})");
        }

        Process.WaitForExit();
        return new KubectlResult(Process.ExitCode, Stdout, Stderr);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
