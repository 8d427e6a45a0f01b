using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>
/// A set of field paths in the FieldsV1 trie form Kubernetes stores in managedFields: children keyed by path element
/// (`f:name`, `k:{"name":"a"}`, `v:"x"`), and `.` marking that the node itself is a member.
/// </summary>
internal sealed class FieldSet
{
    private readonly SortedDictionary<string, FieldSet> _children = new(StringComparer.Ordinal);

    public bool Self { get; set; }

    public IReadOnlyDictionary<string, FieldSet> Children => _children;

    public bool IsEmpty => !Self && _children.Count == 0;

    public FieldSet Child(string element)
    {
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children[element] = child;
        }

        return child;
    }

    public FieldSet? Find(string element) => _children.TryGetValue(element, out var c) ? c : null;

    public void RemoveChild(string element) => _children.Remove(element);

    /// <summary>Every member path (a list of elements per member).</summary>
    public IEnumerable<IReadOnlyList<string>> Members()
    {
        var prefix = new List<string>();
        return Walk(this, prefix);

        static IEnumerable<IReadOnlyList<string>> Walk(FieldSet node, List<string> prefix)
        {
            if (node.Self)
            {
                yield return prefix.ToList();
            }

            foreach (var (element, child) in node._children)
            {
                prefix.Add(element);
                foreach (var m in Walk(child, prefix))
                {
                    yield return m;
                }

                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    public bool Contains(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var e in path)
        {
            node = node.Find(e);
            if (node is null)
            {
                return false;
            }
        }

        return node.Self;
    }

    public void Add(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var e in path)
        {
            node = node.Child(e);
        }

        node.Self = true;
    }

    public void Remove(IReadOnlyList<string> path)
    {
        Remove(this, path, 0);

        static void Remove(FieldSet node, IReadOnlyList<string> path, int index)
        {
            if (index == path.Count)
            {
                node.Self = false;
                return;
            }

            var child = node.Find(path[index]);
            if (child is null)
            {
                return;
            }

            Remove(child, path, index + 1);
            if (child.IsEmpty)
            {
                node.RemoveChild(path[index]);
            }
        }
    }

    public void RemoveAll(IEnumerable<IReadOnlyList<string>> paths)
    {
        foreach (var p in paths.ToList())
        {
            Remove(p);
        }
    }

    public static FieldSet FromJson(JsonNode? node)
    {
        var set = new FieldSet();
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                if (key == ".")
                {
                    set.Self = true;
                }
                else
                {
                    var child = FromJson(value);
                    if (value is JsonObject { Count: 0 })
                    {
                        child.Self = true;
                    }

                    set._children[key] = child;
                }
            }
        }

        return set;
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Self && _children.Count > 0)
        {
            o["."] = new JsonObject();
        }

        foreach (var (element, child) in _children)
        {
            o[element] = child.ToJson();
        }

        return o;
    }

    /// <summary>The human form used in apply conflict messages: `.spec.x`, `.spec.list[name="a"].y`, `.metadata.finalizers[="x"]`.</summary>
    public static string Display(IReadOnlyList<string> path)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var e in path)
        {
            if (e.StartsWith("f:", StringComparison.Ordinal))
            {
                sb.Append('.').Append(e[2..]);
            }
            else if (e.StartsWith("k:", StringComparison.Ordinal))
            {
                var keys = JsonNode.Parse(e[2..]) as JsonObject ?? [];
                sb.Append('[').Append(string.Join(",", keys.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}"))).Append(']');
            }
            else if (e.StartsWith("v:", StringComparison.Ordinal))
            {
                sb.Append("[=").Append(e[2..]).Append(']');
            }
            else if (e.StartsWith("i:", StringComparison.Ordinal))
            {
                sb.Append('[').Append(e[2..]).Append(']');
            }
        }

        return sb.ToString();
    }
}
