using OpenKbs.Controllers.Projects.Components.Artifact;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>What one Lambda function must look like (rendered from the spec and the facts of earlier steps).</summary>
internal sealed record FunctionDesired
{
    public required string SpecName { get; init; }

    public required string FunctionName { get; init; }

    public required string Runtime { get; init; }

    public required string Handler { get; init; }

    public required int MemorySize { get; init; }

    public required int Timeout { get; init; }

    public required string Role { get; init; }

    /// <summary>Plain variables: the spec's, <c>OPENKBS_PROJECT</c>, <c>OPENKBS_PROJECT_UID</c> and each sealed setting's <c>_DIGEST</c>.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Names of the variables holding sealed settings (envelopes; compared through their digests).</summary>
    public required IReadOnlyList<string> SealedVariables { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The layer version ARNs, in order (the project's <c>@openkbs/auth</c> layer while access is on; none otherwise).</summary>
    public IReadOnlyList<string> Layers { get; init; } = [];

    /// <summary>The artifact copy the code comes from, and its CodeSha256 (base64) as Lambda reports it.</summary>
    public required ArtifactLocation Code { get; init; }

    public string Description => $"OpenKBS function {SpecName}";
}
