using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>The legacy discovery documents: /api (APIVersions), /apis (APIGroupList), /apis/G (APIGroup), /api/v1 and /apis/G/V (APIResourceList).</summary>
internal static class Discovery
{
    private static readonly string[] BuiltInGroupOrder = ["apiextensions.k8s.io", "coordination.k8s.io", "events.k8s.io"];

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(IReadOnlyCollection<ResourceType> types)
    {
        var groups = new JsonArray();
        foreach (var group in Groups(types))
        {
            groups.Add(Group(group, types));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(string group, IReadOnlyCollection<ResourceType> types)
    {
        var versions = types.Where(t => t.Group == group).Select(t => t.Version).Distinct().OrderBy(v => v, KubeVersionComparer.Instance).ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var v in versions)
        {
            array.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = array,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    public static JsonObject? ResourceList(string group, string version, IReadOnlyCollection<ResourceType> types)
    {
        var selected = types.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (selected.Count == 0 && !(group.Length == 0 && version == "v1"))
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in selected)
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(t.Verbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (t.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(t.ShortNames.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            if (t.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(t.Categories.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(Subresource(t, "status", ["get", "patch", "update"]));
            }

            foreach (var extra in t.ExtraSubresources)
            {
                resources.Add(Subresource(t, extra, ["update"]));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType t, string name, string[] verbs) => new()
    {
        ["name"] = $"{t.Plural}/{name}",
        ["singularName"] = string.Empty,
        ["namespaced"] = t.Namespaced,
        ["kind"] = t.Kind,
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
    };

    private static IEnumerable<string> Groups(IReadOnlyCollection<ResourceType> types)
    {
        var names = types.Select(t => t.Group).Where(g => g.Length > 0).Distinct().ToList();
        foreach (var g in BuiltInGroupOrder.Where(names.Contains))
        {
            yield return g;
        }

        foreach (var g in names.Where(n => !BuiltInGroupOrder.Contains(n)).OrderBy(n => n, StringComparer.Ordinal))
        {
            yield return g;
        }
    }
}
