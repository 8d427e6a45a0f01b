using System.Diagnostics;

namespace OpenKbs.Testing.Kube;

/// <summary>Runs kubectl (the real client) against a kubeconfig.</summary>
public static class Kubectl
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string kubeconfig, string? input, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
