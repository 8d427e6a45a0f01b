namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// What the staging step found and decided for this pass (read by the API-keys step after the functions step):
/// the Secret as written, the handed-over keys still in force, the staged keys (plaintext in memory only) and the set the
/// functions must accept (handed-over ∪ staged).
/// </summary>
internal sealed record ApiKeyPlan
{
    public required ApiKeySecret Secret { get; init; }

    /// <summary>The deployment the spec asks for.</summary>
    public required string Deployment { get; init; }

    /// <summary>Handed-over keys still in force (names in the spec), by name.</summary>
    public required IReadOnlyDictionary<string, string> Clear { get; init; }

    /// <summary>Handed-over keys still in force whose plaintext was deleted after collection: their SHA-256 by name.</summary>
    public IReadOnlyDictionary<string, string> Collected { get; init; } = new Dictionary<string, string>();

    /// <summary>Staged keys (plaintext, in memory only), by name.</summary>
    public required IReadOnlyDictionary<string, string> Staged { get; init; }

    /// <summary>Everything the functions must accept, sorted by name then deployment.</summary>
    public required IReadOnlyList<AcceptedKey> Accepted { get; init; }
}
