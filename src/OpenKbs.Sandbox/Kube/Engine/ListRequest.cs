using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>List parameters: filter, limit/continue, resourceVersion and resourceVersionMatch.</summary>
internal sealed record ListRequest
{
    public required WatchFilter Filter { get; init; }

    public long Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }
}
