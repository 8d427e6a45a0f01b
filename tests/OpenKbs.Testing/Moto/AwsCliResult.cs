using System.Text;
using System.Text.Json;

namespace OpenKbs.Testing.Moto;

/// <summary>What one aws CLI run printed.</summary>
public sealed record AwsCliResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>stdout parsed as JSON; throws with both streams when the command failed.</summary>
    public JsonElement Json()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"aws exited with {ExitCode}: {StandardError}");
        }

        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(StandardOutput) ? "{}" : StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>The AWS error code the CLI printed, e.g. <c>TooManyRequestsException</c> from "An error occurred (X) when calling".</summary>
    public string? ErrorCode
    {
        get
        {
            const string marker = "An error occurred (";
            var at = StandardError.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            var end = StandardError.IndexOf(')', at + marker.Length);
            return end < 0 ? null : StandardError[(at + marker.Length)..end];
        }
    }

    public override string ToString() => new StringBuilder().Append("exit ").Append(ExitCode).Append("\nstdout: ").Append(StandardOutput).Append("\nstderr: ").Append(StandardError).ToString();
}
