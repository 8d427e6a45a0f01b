using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>
/// Runs calls through the AWS SDK for JavaScript v3 (tests/wirecheck/run.mjs), an independent client, in ONE node process per
/// batch, and returns what it sent and what it parsed. Installs tests/wirecheck's locked packages (npm ci) on first use.
/// </summary>
internal static class WireCheck
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool s_installed;

    /// <summary>A blob argument ({"$bytes": base64}).</summary>
    public static JsonObject Bytes(byte[] value) => new() { ["$bytes"] = Convert.ToBase64String(value) };

    /// <summary>A timestamp argument ({"$date": ISO}).</summary>
    public static JsonObject Date(DateTimeOffset value) => new() { ["$date"] = value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>Runs <paramref name="calls"/> in order with dummy credentials (moto's default account) unless others are given.</summary>
    public static async Task<IReadOnlyList<WireResult>> RunAsync(
        Uri endpoint,
        string region,
        IEnumerable<WireCall> calls,
        (string AccessKeyId, string SecretAccessKey, string? SessionToken)? credentials = null)
    {
        var directory = await EnsureInstalledAsync();
        var creds = credentials ?? ("AKIAWIRECHECK0000001", "wirecheck-secret", null);
        var job = new JsonObject
        {
            ["endpoint"] = endpoint.ToString().TrimEnd('/'),
            ["region"] = region,
            ["credentials"] = new JsonObject
            {
                ["accessKeyId"] = creds.AccessKeyId,
                ["secretAccessKey"] = creds.SecretAccessKey,
                ["sessionToken"] = creds.SessionToken,
            },
            ["calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
            {
                ["service"] = c.Service,
                ["command"] = c.Command,
                ["input"] = c.Input is JsonNode node ? node.DeepClone() : JsonSerializer.SerializeToNode(c.Input),
            })]),
        };
        var (exit, stdout, stderr) = await RunProcessAsync("node", ["run.mjs"], directory, job.ToJsonString());
        if (exit != 0)
        {
            throw new InvalidOperationException($"wirecheck failed ({exit}): {stderr}");
        }

        using var document = JsonDocument.Parse(stdout);
        return [.. document.RootElement.EnumerateArray().Select(WireResult.From)];
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var directory = FindDirectory();
        await InstallGate.WaitAsync();
        try
        {
            if (!s_installed && !Directory.Exists(Path.Combine(directory, "node_modules", "@aws-sdk", "client-scheduler")))
            {
                var (exit, _, stderr) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], directory, null);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"npm ci in {directory} failed: {stderr}");
                }
            }

            s_installed = true;
            return directory;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "wirecheck");
            if (File.Exists(Path.Combine(candidate, "run.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/wirecheck/run.mjs not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, string directory, string? stdin)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["NODE_NO_WARNINGS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
