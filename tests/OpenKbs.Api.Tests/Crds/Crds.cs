using k8s.Models;
using OpenKbs.Api.Crds;

namespace OpenKbs.Api.Tests.Crds;

/// <summary>The generated CRDs, once per test run, and navigation into their schemas.</summary>
internal static class Crds
{
    private static readonly Lazy<IReadOnlyList<CrdManifest>> Manifests = new(CrdGenerator.GenerateAll);

    public static IReadOnlyList<CrdManifest> All => Manifests.Value;

    public static V1CustomResourceDefinition Of(string kind) =>
        All.Single(m => m.Definition.Spec.Names.Kind == kind).Definition;

    public static V1JSONSchemaProps Root(string kind) => Of(kind).Spec.Versions.Single().Schema.OpenAPIV3Schema;

    /// <summary>The schema node at a dotted path below the root, e.g. <c>spec.functions[].environment</c> ([] = list items).</summary>
    public static V1JSONSchemaProps Node(string kind, string path)
    {
        var node = Root(kind);
        foreach (var segment in path.Split('.'))
        {
            var isItems = segment.EndsWith("[]", StringComparison.Ordinal);
            var name = isItems ? segment[..^2] : segment;
            node = (node.Properties is { } properties && properties.TryGetValue(name, out var child) ? child : null) ?? throw new KeyNotFoundException($"{kind}: no '{name}' in '{path}'.");
            if (isItems)
            {
                node = (V1JSONSchemaProps)node.Items;
            }
        }

        return node;
    }

    /// <summary>Every schema node below the root with its path, depth first.</summary>
    public static IEnumerable<(string Path, V1JSONSchemaProps Node)> Walk(V1JSONSchemaProps node, string path = "")
    {
        yield return (path, node);
        foreach (var (name, child) in node.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            foreach (var inner in Walk(child, path.Length == 0 ? name : $"{path}.{name}"))
            {
                yield return inner;
            }
        }

        if (node.Items is V1JSONSchemaProps items)
        {
            foreach (var inner in Walk(items, path + "[]"))
            {
                yield return inner;
            }
        }

        if (node.AdditionalProperties is V1JSONSchemaProps values)
        {
            foreach (var inner in Walk(values, path + "{}"))
            {
                yield return inner;
            }
        }
    }
}
