using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>Runs botocore_faults.py (botocore, the aws CLI's client) once for a batch of cases.</summary>
internal static class BotocoreRunner
{
    public static async Task<Dictionary<string, JsonObject>> RunAsync(Uri endpoint, JsonArray cases)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "AwsChaos", "botocore_faults.py");
        var start = new ProcessStartInfo("python3", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment.Remove("AWS_ENDPOINT_URL");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(new JsonObject { ["endpoint"] = endpoint.ToString().TrimEnd('/'), ["cases"] = cases }.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"botocore_faults.py exited {process.ExitCode}: {await stderr}");
        }

        var results = JsonNode.Parse(await stdout)!.AsArray();
        return results.OfType<JsonObject>().ToDictionary(r => r["name"]!.GetValue<string>(), r => r);
    }

    public static string? Field(this JsonObject result, string name) =>
        result[name] is JsonValue value ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString() : null;
}
