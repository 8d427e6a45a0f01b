using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>The list continue token, encoded as the API server does: base64url(JSON {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}).</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string startKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = startKey }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long ResourceVersion, string StartKey) Decode(string token)
    {
        JsonObject? o;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            o = JsonNode.Parse(Convert.FromBase64String(padded)) as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw ApiException.BadRequest("continue key is not valid: " + ex.Message);
        }

        if (o is null || o["v"]?.GetValue<string>() != "meta.k8s.io/v1")
        {
            throw ApiException.BadRequest("continue key is not valid: server does not recognize this encoded version");
        }

        var rv = o["rv"]?.GetValue<long>() ?? 0;
        var start = o["start"]?.GetValue<string>() ?? string.Empty;
        if (rv == 0)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        if (start.Length == 0)
        {
            throw ApiException.BadRequest("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        }

        return (rv, start);
    }
}
