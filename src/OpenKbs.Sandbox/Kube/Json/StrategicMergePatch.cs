using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) for the built-in kinds this server serves.
/// Maps merge (null deletes); lists are replaced, except the lists Kubernetes marks patchStrategy=merge:
/// metadata.finalizers (set union) and metadata.ownerReferences (merge key uid). Directives handled:
/// $patch (replace/delete/merge), $retainKeys, $deleteFromPrimitiveList/*, $setElementOrder/* (ordering only, ignored).
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string?> MergeLists = new(StringComparer.Ordinal)
    {
        ["metadata.finalizers"] = null,
        ["metadata.ownerReferences"] = "uid",
    };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergeMap(target as JsonObject, patch as JsonObject, string.Empty);

    private static JsonObject? MergeMap(JsonObject? target, JsonObject? patch, string path)
    {
        if (patch is null)
        {
            return target;
        }

        var directive = KubeJson.GetString(patch, "$patch");
        if (directive == "delete")
        {
            return null;
        }

        if (directive == "replace")
        {
            var replaced = (JsonObject)patch.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }

        var result = target ?? new JsonObject();
        IReadOnlyList<string>? retainKeys = null;
        foreach (var (key, value) in patch)
        {
            if (key == "$patch")
            {
                continue;
            }

            if (key == "$retainKeys")
            {
                retainKeys = value is JsonArray ra ? ra.Select(n => n?.GetValue<string>() ?? string.Empty).ToList() : [];
                continue;
            }

            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray existingList && value is JsonArray toDelete)
                {
                    for (var i = existingList.Count - 1; i >= 0; i--)
                    {
                        if (toDelete.Any(d => JsonNode.DeepEquals(d, existingList[i])))
                        {
                            existingList.RemoveAt(i);
                        }
                    }
                }

                continue;
            }

            var childPath = path.Length == 0 ? key : path + "." + key;
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var current = result[key];
            switch (value)
            {
                case JsonObject po:
                {
                    var merged = MergeMap(current is JsonObject co ? (JsonObject)co.DeepClone() : null, po, childPath);
                    if (merged is null)
                    {
                        result.Remove(key);
                    }
                    else
                    {
                        result[key] = merged;
                    }

                    break;
                }

                case JsonArray pa when MergeLists.TryGetValue(childPath, out var mergeKey):
                    result[key] = MergeList(current as JsonArray, pa, mergeKey);
                    break;
                case JsonArray pa:
                    result[key] = StripListDirectives(pa);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        if (retainKeys is not null)
        {
            foreach (var k in result.Select(kv => kv.Key).ToList())
            {
                if (!retainKeys.Contains(k))
                {
                    result.Remove(k);
                }
            }
        }

        return result;
    }

    private static JsonArray StripListDirectives(JsonArray patch)
    {
        var result = new JsonArray();
        foreach (var item in patch)
        {
            if (item is JsonObject o && o.ContainsKey("$patch"))
            {
                continue;
            }

            result.Add(item?.DeepClone());
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? current, JsonArray patch, string? mergeKey)
    {
        if (patch.Any(i => i is JsonObject o && KubeJson.GetString(o, "$patch") == "replace"))
        {
            return StripListDirectives(patch);
        }

        var result = current is null ? new JsonArray() : (JsonArray)current.DeepClone();
        foreach (var item in patch)
        {
            if (mergeKey is null)
            {
                if (!result.Any(r => JsonNode.DeepEquals(r, item)))
                {
                    result.Add(item?.DeepClone());
                }

                continue;
            }

            if (item is not JsonObject po)
            {
                continue;
            }

            var keyValue = po[mergeKey];
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i] is JsonObject ro && JsonNode.DeepEquals(ro[mergeKey], keyValue))
                {
                    index = i;
                    break;
                }
            }

            if (KubeJson.GetString(po, "$patch") == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var merged = MergeMap((JsonObject)result[index]!.DeepClone(), po, string.Empty);
                result[index] = merged;
            }
            else
            {
                var added = (JsonObject)po.DeepClone();
                added.Remove("$patch");
                result.Add(added);
            }
        }

        return result;
    }
}
