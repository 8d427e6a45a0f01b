using System.Text.Json.Nodes;
using OpenKbs.Aws.Tests.WireCheck;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>
/// The member-account services' view of the wire-check harness (<see cref="WireCheckRunner"/>, tests/wirecheck/wirecheck.mjs): a batch
/// of AWS SDK for JavaScript v3 calls in one node process, each returning what it parsed and the request it sent, so a test can
/// compare our request with theirs and check each side reads what the other wrote. Dummy credentials: moto's default account.
/// </summary>
internal static class JsSdk
{
    /// <summary>A blob argument ({"$bytes": base64}).</summary>
    public static JsonObject Bytes(byte[] value) => new() { ["$bytes"] = Convert.ToBase64String(value) };

    /// <summary>A timestamp argument ({"$date": ISO}).</summary>
    public static JsonObject Date(DateTimeOffset value) => new() { ["$date"] = value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };

    public static async Task<IReadOnlyList<WireResult>> RunAsync(Uri endpoint, string region, IEnumerable<WireCall> calls)
    {
        var results = await WireCheckRunner.RunAsync(
            endpoint,
            [.. calls.Select(c => new WireCheckRunner.Step(c.Service, c.Command, c.Input, Region: region))]);
        return [.. results.Select(WireResult.From)];
    }
}
