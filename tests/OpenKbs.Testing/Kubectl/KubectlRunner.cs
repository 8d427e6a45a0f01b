using System.Diagnostics;
using System.Text;

namespace OpenKbs.Testing.Kubectl;

/// <summary>
/// Runs the real kubectl against a kubeconfig, with its own discovery cache folder (so tests never share stale
/// discovery). <see cref="Start"/> keeps a process running (get -w, wait, delete) for tests that observe it.
/// </summary>
public sealed class KubectlRunner(string kubeconfig, string cacheDirectory)
{
    /// <summary>Null when kubectl is on PATH, else why kubectl tests skip.</summary>
    public static string? UnavailableReason =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(p => File.Exists(Path.Combine(p, "kubectl")))
            ? null
            : "kubectl is not on PATH";

    public async Task<KubectlResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Start(args, stdin is not null);
        if (stdin is not null)
        {
            await process.Process.StandardInput.WriteAsync(stdin);
            process.Process.StandardInput.Close();
        }

        return await process.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>Starts kubectl and returns immediately; read its output as it comes.</summary>
    public KubectlProcess Start(IEnumerable<string> args, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(cacheDirectory);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("KUBECONFIG");
        return new KubectlProcess(Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start"));
    }
}
