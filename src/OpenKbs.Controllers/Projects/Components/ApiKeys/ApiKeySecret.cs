namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// The Kubernetes Secret that hands API keys over (<see cref="ProjectNames.ApiKeySecret"/> in the project's namespace, owned by
/// the Project). <see cref="Keys"/> are the handed-over plaintext keys by spec name (data entries named like the keys);
/// <see cref="Staged"/> holds the next deployment's keys sealed with the project's KMS key (data entry
/// <see cref="StagedDataKey"/>: unusable until the functions accept them and they are handed over). Once the client marked the
/// keys collected (<see cref="Api.Annotations.KeysCollected"/>), the operator deletes the plaintext: <see cref="Collected"/> keeps
/// only each key's SHA-256 (data entries <c>{name}.sha256</c>), what the functions need to go on accepting it.
/// </summary>
internal sealed record ApiKeySecret
{
    /// <summary>The data entry holding the sealed staged keys (API key names cannot contain '.').</summary>
    public const string StagedDataKey = "openkbs.staged";

    /// <summary>The annotation naming the deployment whose keys are handed over.</summary>
    public const string DeploymentAnnotation = Api.Annotations.Deployment;

    /// <summary>The suffix of the data entries holding a collected key's SHA-256 (its plaintext deleted).</summary>
    public const string HashSuffix = ".sha256";

    /// <summary>The annotation recording when the plaintext of the <see cref="Collected"/> keys was deleted (round-trip "O").</summary>
    public const string PlaintextDeletedAnnotation = "openkbs.com/plaintext-deleted-at";

    /// <summary>The annotation naming the deployment whose keys are staged.</summary>
    public const string StagedDeploymentAnnotation = "openkbs.com/staged-deployment";

    public required string Name { get; init; }

    /// <summary>The API server's resourceVersion (a precondition of the next write); null when the Secret does not exist.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>The deployment (<see cref="DeploymentIds"/>) whose keys are in <see cref="Keys"/>.</summary>
    public string? Deployment { get; init; }

    /// <summary>Handed-over plaintext keys by name.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>Handed-over keys the client collected, whose plaintext was deleted: their SHA-256 by name.</summary>
    public IReadOnlyDictionary<string, string> Collected { get; init; } = new Dictionary<string, string>();

    /// <summary>The client's mark (<see cref="Api.Annotations.KeysCollected"/>): the deployment whose keys it collected, or null.</summary>
    public string? CollectedMark { get; init; }

    /// <summary>When the plaintext of the <see cref="Collected"/> keys was deleted, or null.</summary>
    public DateTimeOffset? PlaintextDeletedAt { get; init; }

    /// <summary>Whether the client marked the plaintext keys of the deployment this Secret holds as collected.</summary>
    public bool CollectedByClient => Keys.Count > 0 && Deployment is not null && CollectedMark == Deployment && Staged is null;

    /// <summary>The SHA-256 of every handed-over key by name: computed from the plaintext, or kept after it was deleted.</summary>
    public IReadOnlyDictionary<string, string> Hashes()
    {
        var hashes = Collected.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        foreach (var (name, key) in Keys)
        {
            hashes[name] = ApiKeyMaterial.Sha256(key);
        }

        return hashes;
    }

    /// <summary>The sealed staged keys (KMS envelope), or null.</summary>
    public string? Staged { get; init; }

    /// <summary>The deployment the staged keys belong to.</summary>
    public string? StagedDeployment { get; init; }
}
