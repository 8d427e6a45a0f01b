using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema.OpenApi;

/// <summary>What the OpenAPI builder needs from one served version of a CRD.</summary>
internal sealed record CrdVersionInfo
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    public required string ListKind { get; init; }

    public required string Plural { get; init; }

    public required bool Namespaced { get; init; }

    public required JsonObject? Schema { get; init; }

    public required bool HasStatus { get; init; }

    /// <summary>The served versions of a CRD document (apiextensions.k8s.io/v1).</summary>
    public static IEnumerable<CrdVersionInfo> From(JsonNode crd)
    {
        var spec = crd["spec"];
        var group = JsonKind.AsString(spec?["group"]) ?? "";
        var names = spec?["names"];
        var kind = JsonKind.AsString(names?["kind"]) ?? "";
        var plural = JsonKind.AsString(names?["plural"]) ?? kind.ToLowerInvariant() + "s";
        var listKind = JsonKind.AsString(names?["listKind"]) ?? kind + "List";
        var namespaced = JsonKind.AsString(spec?["scope"]) != "Cluster";
        foreach (var version in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"] is JsonValue served && served.GetValueKind() == System.Text.Json.JsonValueKind.False)
            {
                continue;
            }

            yield return new CrdVersionInfo
            {
                Group = group,
                Version = JsonKind.AsString(version["name"]) ?? "",
                Kind = kind,
                ListKind = listKind,
                Plural = plural,
                Namespaced = namespaced,
                Schema = version["schema"]?["openAPIV3Schema"] as JsonObject,
                HasStatus = version["subresources"]?["status"] is JsonObject,
            };
        }
    }
}
