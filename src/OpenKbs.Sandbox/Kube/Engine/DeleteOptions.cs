namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>DeleteOptions that matter here: preconditions, propagation policy and dryRun.</summary>
internal sealed record DeleteOptions
{
    public static readonly DeleteOptions Background = new();

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }

    /// <summary>Background (default), Foreground (treated as Background) or Orphan.</summary>
    public string PropagationPolicy { get; init; } = "Background";

    public bool DryRun { get; init; }
}
