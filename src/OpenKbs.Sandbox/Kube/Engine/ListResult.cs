using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>One page of a list: items in key order, the list's resourceVersion, and the continue token / remaining count.</summary>
internal sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
