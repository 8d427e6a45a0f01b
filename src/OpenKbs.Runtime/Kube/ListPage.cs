using System.Text.Json.Nodes;

namespace OpenKbs.Runtime.Kube;

/// <summary>One page of a list response.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
