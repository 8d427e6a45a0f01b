namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// The Kubernetes Secret that hands API keys over (<see cref="ProjectNames.ApiKeySecret"/> in the project's namespace, owned by
/// the Project). <see cref="Keys"/> are the handed-over plaintext keys by spec name (data entries named like the keys);
/// <see cref="Staged"/> holds the next deployment's keys sealed with the project's KMS key (data entry
/// <see cref="StagedDataKey"/>: unusable until the functions accept them and they are handed over).
/// </summary>
internal sealed record ApiKeySecret
{
    /// <summary>The data entry holding the sealed staged keys (API key names cannot contain '.').</summary>
    public const string StagedDataKey = "openkbs.staged";

    /// <summary>The annotation naming the deployment whose keys are handed over.</summary>
    public const string DeploymentAnnotation = "openkbs.com/deployment";

    /// <summary>The annotation naming the deployment whose keys are staged.</summary>
    public const string StagedDeploymentAnnotation = "openkbs.com/staged-deployment";

    public required string Name { get; init; }

    /// <summary>The API server's resourceVersion (a precondition of the next write); null when the Secret does not exist.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>The deployment (<see cref="DeploymentIds"/>) whose keys are in <see cref="Keys"/>.</summary>
    public string? Deployment { get; init; }

    /// <summary>Handed-over plaintext keys by name.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>The sealed staged keys (KMS envelope), or null.</summary>
    public string? Staged { get; init; }

    /// <summary>The deployment the staged keys belong to.</summary>
    public string? StagedDeployment { get; init; }
}
