using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>
/// One rule of a Role or ClusterRole, matched as k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go matches it:
/// `*` matches every verb, group and resource (subresources included), `*/sub` matches subresource `sub` of any
/// resource, `res` alone never matches `res/sub`, resourceNames restrict by name when present (so a rule with names never
/// allows list, watch, create or deletecollection of the collection), nonResourceURLs match exactly or by a trailing `*` prefix.
/// </summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule Parse(JsonObject? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]), Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    internal bool Allows(RequestAttributes request) => request.IsResourceRequest
        ? VerbMatches(request.Verb) && ApiGroupMatches(request.ApiGroup) && ResourceMatches(request.CombinedResource, request.Subresource) && ResourceNameMatches(request.Name)
        : VerbMatches(request.Verb) && NonResourceUrlMatches(request.Path);

    public bool VerbMatches(string verb) => Verbs.Any(v => v == "*" || v == verb);

    public bool ApiGroupMatches(string group) => ApiGroups.Any(g => g == "*" || g == group);

    public bool ResourceMatches(string combinedResource, string subresource) => Resources.Any(r =>
        r == "*" || r == combinedResource
        || (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(subresource, StringComparison.Ordinal)));

    public bool ResourceNameMatches(string name) => ResourceNames.Count == 0 || ResourceNames.Contains(name, StringComparer.Ordinal);

    public bool NonResourceUrlMatches(string path) => NonResourceUrls.Any(u =>
        u == "*" || u == path || (u.EndsWith('*') && path.StartsWith(u.TrimEnd('*'), StringComparison.Ordinal)));

    public override string ToString()
    {
        if (NonResourceUrls.Count > 0)
        {
            return $"nonResourceURLs [{string.Join(" ", NonResourceUrls)}] verbs [{string.Join(" ", Verbs)}]";
        }

        var names = ResourceNames.Count > 0 ? $" resourceNames [{string.Join(" ", ResourceNames)}]" : string.Empty;
        return $"apiGroups [{string.Join(" ", ApiGroups.Select(g => g.Length == 0 ? "\"\"" : g))}] resources [{string.Join(" ", Resources)}]{names} verbs [{string.Join(" ", Verbs)}]";
    }

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty).ToArray() : [];
}
