using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// What the functions receive (sealed, in <see cref="Variable"/>): gzip of
/// <c>{"v":1,"keys":[{"name":…,"sha256":…,"permissions":[…],"deployment":…}]}</c>. gzip keeps ten keys during a rotation
/// well inside Lambda's 4 KB environment (hex hashes compress to half).
/// </summary>
internal static class ApiKeyPayload
{
    /// <summary>
    /// The functions' environment variable holding the sealed accepted keys, and the envelope purpose the access role may decrypt
    /// (<c>OPENKBS_API_KEYS</c>).
    /// </summary>
    public const string Variable = "OPENKBS_API_KEYS";

    public static byte[] Render(IReadOnlyList<AcceptedKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var json = new JsonObject
        {
            ["v"] = 1,
            ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)new JsonObject
            {
                ["name"] = k.Name,
                ["sha256"] = k.Sha256,
                ["permissions"] = new JsonArray([.. k.Permissions.Select(p => (JsonNode)JsonValue.Create(p))]),
                ["deployment"] = k.Deployment,
            })]),
        };
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(JsonSerializer.SerializeToUtf8Bytes(json));
        }

        return buffer.ToArray();
    }

    /// <summary>The keys of a payload (tests, and the drift check of a sealed value opened with KMS).</summary>
    public static IReadOnlyList<AcceptedKey> Parse(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var input = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        var json = JsonNode.Parse(input)!.AsObject();
        return [.. json["keys"]!.AsArray().Select(k => new AcceptedKey(
            (string)k!["name"]!,
            (string)k["sha256"]!,
            [.. k["permissions"]!.AsArray().Select(p => (string)p!)],
            (string)k["deployment"]!))];
    }
}
