using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Aws.Tests.WireCheck;

/// <summary>
/// Runs a batch of calls with the official AWS SDK for JavaScript v3 (tests/wirecheck, one node process per batch).
/// Installs the locked packages with <c>npm ci</c> on first use when `make test` has not already done it.
/// </summary>
internal static class WireCheckRunner
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public sealed record Step(string Service, string Op, object? Input = null, string? Endpoint = null, string? Region = null);

    public static string Directory { get; } = FindDirectory();

    public static async Task<JsonElement[]> RunAsync(Uri endpoint, params Step[] steps)
    {
        await EnsureInstalledAsync();
        var payload = JsonSerializer.Serialize(steps.Select(s => new { service = s.Service, op = s.Op, input = s.Input ?? new { }, endpoint = s.Endpoint, region = s.Region }));
        var (exit, stdout, stderr) = await RunProcessAsync("node", ["wirecheck.mjs"], payload, endpoint);
        if (exit != 0)
        {
            throw new InvalidOperationException($"node wirecheck.mjs exited with {exit}: {stderr}");
        }

        using var document = JsonDocument.Parse(stdout);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Directory, "node_modules", ".package-lock.json")))
            {
                return;
            }

            var (exit, _, stderr) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], null, null);
            if (exit != 0)
            {
                throw new InvalidOperationException($"npm ci in {Directory} failed ({exit}): {stderr}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, string? stdin, Uri? endpoint)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = MotoDefaults.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = MotoDefaults.SecretAccessKey;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["NODE_NO_WARNINGS"] = "1";
        if (endpoint is not null)
        {
            start.Environment["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/');
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "wirecheck");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/wirecheck not found above " + AppContext.BaseDirectory);
    }
}
