using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>RFC 7386 JSON merge patch (application/merge-patch+json).</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var existing = result[key];
            var merged = Apply(existing is null ? null : existing.DeepClone(), value);
            result[key] = merged;
        }

        return result;
    }
}
