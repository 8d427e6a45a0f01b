using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenKbs.Sandbox.Aws.Bootstrap;

/// <summary>
/// Finds the artifacts of docs/examples: every object in the examples' YAML whose spec.source.s3 points into the
/// platform bucket with a key `examples/&lt;dir&gt;/...zip`, where docs/examples/artifacts/&lt;dir&gt; exists, is built from
/// that directory; directories no manifest references go to `examples/&lt;dir&gt;/latest.zip`.
/// </summary>
public static class ExampleArtifacts
{
    public static IReadOnlyList<ExampleArtifact> Find(string examplesDirectory, string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(examplesDirectory);
        var artifactsRoot = Path.Combine(examplesDirectory, "artifacts");
        if (!Directory.Exists(artifactsRoot))
        {
            return [];
        }

        var found = new Dictionary<string, ExampleArtifact>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(examplesDirectory, "*.yaml").Concat(Directory.EnumerateFiles(examplesDirectory, "*.yml")).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(File.ReadAllText(file)));
            }
            catch (YamlException)
            {
                continue;
            }

            foreach (var source in stream.Documents.Select(d => Child(Child(d.RootNode, "spec"), "source")).OfType<YamlMappingNode>())
            {
                var s3 = Child(source, "s3");
                var key = Scalar(s3, "key");
                if (Scalar(s3, "bucket") != bucket || key is null || !key.StartsWith("examples/", StringComparison.Ordinal))
                {
                    continue;
                }

                var parts = key.Split('/');
                var dir = Path.Combine(artifactsRoot, parts.Length > 1 ? parts[1] : string.Empty);
                if (parts.Length >= 3 && Directory.Exists(dir))
                {
                    found[key] = new ExampleArtifact(dir, key, Scalar(source, "sha256"));
                }
            }
        }

        foreach (var dir in Directory.EnumerateDirectories(artifactsRoot).Order(StringComparer.Ordinal))
        {
            if (!found.Values.Any(a => string.Equals(Path.GetFullPath(a.Directory), Path.GetFullPath(dir), StringComparison.Ordinal)))
            {
                var key = $"examples/{Path.GetFileName(dir)}/latest.zip";
                found[key] = new ExampleArtifact(dir, key, null);
            }
        }

        return found.Values.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
    }

    private static YamlMappingNode? Child(YamlNode? node, string name) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? map, string name) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(name), out var child) && child is YamlScalarNode { Value: { } value } ? value : null;
}
