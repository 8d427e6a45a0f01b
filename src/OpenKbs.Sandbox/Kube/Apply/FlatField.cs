using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>One member of an object's field set, with its value when it is a leaf (compared for conflicts and changes).</summary>
internal sealed record FlatField(IReadOnlyList<string> Path, JsonNode? Value, bool IsLeaf);
