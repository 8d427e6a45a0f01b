using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>
/// Field ownership (metadata.managedFields) and server-side apply, in a deliberately simple model of
/// structured-merge-diff: a write by a manager takes the fields whose values it changed from every other manager;
/// an apply owns exactly the fields of its configuration, conflicts with other owners whose value differs (unless
/// forced), removes fields it applied before and no longer applies (when nobody else owns them), and merges maps
/// granularly, lists per x-kubernetes-list-type (atomic by default; set; map by keys).
/// Not modelled: version conversion of managed fields, the 10-manager cap, unions, and "ancient-changes".
/// </summary>
internal static class FieldManager
{
    /// <summary>Records a non-apply write (create, update, patch) by <paramref name="manager"/>.</summary>
    public static void RecordUpdate(JsonObject obj, JsonObject? old, string manager, string apiVersion, string? subresource, JsonObject? schema, bool hasStatus, DateTimeOffset now)
    {
        var meta = KubeJson.Metadata(obj);
        var oldEntries = old is null ? null : KubeJson.Metadata(old)["managedFields"];
        var requested = meta["managedFields"];
        var entries = ManagedFieldsEntry.Parse(old is null || (requested is not null && !JsonNode.DeepEquals(requested, oldEntries)) ? requested : oldEntries);

        var (only, skip) = Scope(subresource, hasStatus);
        var newFlat = FieldFlattener.Flatten(obj, schema, markMaps: true, only, skip);
        var oldFlat = old is null ? [] : FieldFlattener.Flatten(old, schema, markMaps: true, only, skip);
        var changed = newFlat.Values.Where(f => !oldFlat.TryGetValue(FieldFlattener.Key(f.Path), out var o) || (f.IsLeaf && !JsonNode.DeepEquals(o.Value, f.Value))).Select(f => f.Path).ToList();
        var removed = oldFlat.Keys.Where(k => !newFlat.ContainsKey(k)).Select(k => oldFlat[k].Path).ToList();

        if (changed.Count > 0 || removed.Count > 0)
        {
            foreach (var e in entries)
            {
                e.Fields.RemoveAll(changed.Where(p => newFlat[FieldFlattener.Key(p)].IsLeaf));
                e.Fields.RemoveAll(removed);
            }

            var mine = entries.FirstOrDefault(e => e.Matches(manager, "Update", subresource) && e.ApiVersion == apiVersion);
            if (mine is null && changed.Count > 0)
            {
                mine = new ManagedFieldsEntry { Manager = manager, Operation = "Update", ApiVersion = apiVersion, Subresource = subresource, Fields = new FieldSet() };
                entries.Add(mine);
            }

            if (mine is not null)
            {
                foreach (var p in changed)
                {
                    mine.Fields.Add(p);
                }

                mine.Time = KubeJson.Rfc3339(now);
            }
        }

        var written = ManagedFieldsEntry.Write(entries);
        if (written.Count == 0)
        {
            meta.Remove("managedFields");
        }
        else
        {
            meta["managedFields"] = written;
        }
    }

    /// <summary>Server-side apply of <paramref name="applied"/> onto <paramref name="live"/> (null to create). Returns the merged object with managedFields set.</summary>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, string apiVersion, string? subresource, JsonObject? schema, bool hasStatus, DateTimeOffset now)
    {
        var (only, skip) = Scope(subresource, hasStatus);
        var liveObj = live is null ? new JsonObject() : (JsonObject)live.DeepClone();
        var entries = ManagedFieldsEntry.Parse(KubeJson.Metadata(liveObj)["managedFields"]);
        var appliedFlat = FieldFlattener.Flatten(applied, schema, markMaps: false, only, skip);
        var liveFlat = FieldFlattener.Flatten(liveObj, schema, markMaps: false, only, skip);

        var conflicts = new List<ApplyConflict>();
        foreach (var field in appliedFlat.Values.Where(f => f.IsLeaf))
        {
            var key = FieldFlattener.Key(field.Path);
            if (liveFlat.TryGetValue(key, out var liveField) && JsonNode.DeepEquals(liveField.Value, field.Value))
            {
                continue;
            }

            foreach (var e in entries)
            {
                if (e.Matches(manager, "Apply", subresource) || !e.Fields.Contains(field.Path))
                {
                    continue;
                }

                conflicts.Add(new ApplyConflict(e.Manager, e.Operation, e.ApiVersion, e.Time, field.Path));
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw ConflictError(conflicts);
        }

        foreach (var c in conflicts)
        {
            foreach (var e in entries.Where(e => e.Manager == c.Manager && e.Operation == c.Operation))
            {
                e.Fields.Remove(c.Path);
            }
        }

        var mine = entries.FirstOrDefault(e => e.Matches(manager, "Apply", subresource));
        var appliedSet = new FieldSet();
        foreach (var f in appliedFlat.Values)
        {
            appliedSet.Add(f.Path);
        }

        if (mine is not null)
        {
            var stale = mine.Fields.Members().Where(p => !appliedSet.Contains(p) && !entries.Any(e => e != mine && e.Fields.Contains(p)))
                .OrderByDescending(p => p.Count).ToList();
            foreach (var p in stale)
            {
                RemovePath(liveObj, p);
            }

            entries.Remove(mine);
        }

        var merged = (JsonObject)Merge(liveObj, applied, schema, [], only, skip)!;
        entries.Insert(0, new ManagedFieldsEntry
        {
            Manager = manager,
            Operation = "Apply",
            ApiVersion = apiVersion,
            Subresource = subresource,
            Time = KubeJson.Rfc3339(now),
            Fields = appliedSet,
        });

        var written = ManagedFieldsEntry.Write(entries);
        var meta = KubeJson.Metadata(merged);
        if (written.Count == 0)
        {
            meta.Remove("managedFields");
        }
        else
        {
            meta["managedFields"] = written;
        }

        return merged;
    }

    private static (string? Only, string? Skip) Scope(string? subresource, bool hasStatus) => subresource switch
    {
        "status" => ("status", null),
        _ => (null, hasStatus ? "status" : null),
    };

    private static ApiException ConflictError(List<ApplyConflict> conflicts)
    {
        var causes = new JsonArray();
        foreach (var c in conflicts)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with {Describe(c)}", ["field"] = FieldSet.Display(c.Path) });
        }

        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {Describe(conflicts[0])}: {FieldSet.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in conflicts.GroupBy(Describe).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => $"- {FieldSet.Display(c.Path)}"));
            }

            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    private static string Describe(ApplyConflict c) =>
        c.Operation == "Update"
            ? (c.Time is null ? $"\"{c.Manager}\" using {c.ApiVersion}" : $"\"{c.Manager}\" using {c.ApiVersion} at {c.Time}")
            : $"\"{c.Manager}\"";

    private static JsonNode? Merge(JsonNode? live, JsonNode? applied, JsonObject? schema, List<string> names, string? only, string? skip)
    {
        switch (applied)
        {
            case JsonObject ao when live is JsonObject lo && !SchemaNavigator.IsAtomicMap(schema):
                foreach (var (key, value) in ao)
                {
                    if (names.Count == 0 && ((only is not null && key is not ("status" or "apiVersion" or "kind" or "metadata")) || key == skip))
                    {
                        continue;
                    }

                    if (names.Count == 0 && only is not null && key == "metadata")
                    {
                        continue;
                    }

                    names.Add(key);
                    var childSchema = names.Count == 1 && key == "metadata" ? null : names[0] == "metadata" ? null : SchemaNavigator.Property(schema, key);
                    lo[key] = Merge(lo[key]?.DeepClone(), value, childSchema, names, only, skip);
                    names.RemoveAt(names.Count - 1);
                }

                return lo;
            case JsonArray aa when live is JsonArray la:
            {
                var (type, keys) = SchemaNavigator.ListType(schema, names);
                if (type == "set")
                {
                    var result = (JsonArray)la.DeepClone();
                    foreach (var item in aa)
                    {
                        if (!result.Any(r => JsonNode.DeepEquals(r, item)))
                        {
                            result.Add(item?.DeepClone());
                        }
                    }

                    return result;
                }

                if (type == "map")
                {
                    var result = (JsonArray)la.DeepClone();
                    var items = SchemaNavigator.Items(schema);
                    foreach (var item in aa.OfType<JsonObject>())
                    {
                        var key = FieldFlattener.ItemKey(item, keys);
                        var index = -1;
                        for (var i = 0; i < result.Count; i++)
                        {
                            if (result[i] is JsonObject r && FieldFlattener.ItemKey(r, keys) == key)
                            {
                                index = i;
                                break;
                            }
                        }

                        if (index >= 0)
                        {
                            result[index] = Merge(result[index]!.DeepClone(), item, items, [.. names, "*"], null, null);
                        }
                        else
                        {
                            result.Add(item.DeepClone());
                        }
                    }

                    return result;
                }

                return aa.DeepClone();
            }

            default:
                return applied?.DeepClone();
        }
    }

    private static void RemovePath(JsonObject root, IReadOnlyList<string> path)
    {
        JsonNode? node = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            node = Step(node, path[i]);
            if (node is null)
            {
                return;
            }
        }

        var last = path[^1];
        switch (node)
        {
            case JsonObject o when last.StartsWith("f:", StringComparison.Ordinal):
                o.Remove(last[2..]);
                break;
            case JsonArray a when last.StartsWith("v:", StringComparison.Ordinal):
                var value = JsonNode.Parse(last[2..]);
                for (var i = a.Count - 1; i >= 0; i--)
                {
                    if (JsonNode.DeepEquals(a[i], value))
                    {
                        a.RemoveAt(i);
                    }
                }

                break;
            case JsonArray a when last.StartsWith("k:", StringComparison.Ordinal):
                var keys = (JsonNode.Parse(last[2..]) as JsonObject ?? []).Select(kv => kv.Key).ToList();
                for (var i = a.Count - 1; i >= 0; i--)
                {
                    if (a[i] is JsonObject item && FieldFlattener.ItemKey(item, keys) == last)
                    {
                        a.RemoveAt(i);
                    }
                }

                break;
        }
    }

    private static JsonNode? Step(JsonNode? node, string element)
    {
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            return (node as JsonObject)?[element[2..]];
        }

        if (element.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray a)
        {
            var keys = (JsonNode.Parse(element[2..]) as JsonObject ?? []).Select(kv => kv.Key).ToList();
            return a.OfType<JsonObject>().FirstOrDefault(item => FieldFlattener.ItemKey(item, keys) == element);
        }

        return null;
    }
}
