using System.Diagnostics.CodeAnalysis;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// What differs between the keys the spec asks for (names, one deployment) and the handed-over keys in the Secret. Computed by
/// <see cref="Between"/>, a pure function; the staging step decides what to do with it (stage <see cref="Needed"/>, drop
/// <see cref="Removed"/> from the Secret before the functions stop accepting them).
/// </summary>
internal sealed record ApiKeyDelta
{
    /// <summary>Handed-over keys whose names are still in the spec, by name: they stay in the Secret and are accepted.</summary>
    public IReadOnlyDictionary<string, string> Kept { get; private init; } = new Dictionary<string, string>();

    /// <summary>Collected keys (plaintext deleted) whose names are still in the spec: their SHA-256 by name, still accepted.</summary>
    public IReadOnlyDictionary<string, string> KeptCollected { get; private init; } = new Dictionary<string, string>();

    /// <summary>Names in the Secret (plaintext or collected) that left the spec (sorted).</summary>
    public IReadOnlyList<string> Removed { get; private init; } = [];

    /// <summary>Spec names that need a key of the deployment (sorted): new names, or every name when the deployment changed.</summary>
    public IReadOnlyList<string> Needed { get; private init; } = [];

    public bool IsEmpty => Removed.Count == 0 && Needed.Count == 0;

    public static ApiKeyDelta Between(IReadOnlyCollection<string> specNames, string deployment, ApiKeySecret secret)
    {
        ArgumentNullException.ThrowIfNull(specNames);
        ArgumentNullException.ThrowIfNull(secret);
        var kept = secret.Keys.Where(k => specNames.Contains(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        var keptCollected = secret.Collected.Where(k => specNames.Contains(k.Key) && !kept.ContainsKey(k.Key))
            .ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        return new ApiKeyDelta
        {
            Kept = kept,
            KeptCollected = keptCollected,
            Removed = [.. secret.Keys.Keys.Union(secret.Collected.Keys).Where(n => !specNames.Contains(n)).Order(StringComparer.Ordinal)],
            Needed = [.. specNames.Where(n => secret.Deployment != deployment || !(kept.ContainsKey(n) || keptCollected.ContainsKey(n))).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>True when <paramref name="staged"/> (keys opened from the Secret) holds exactly the <see cref="Needed"/> names.</summary>
    public bool IsStagedBy([NotNullWhen(true)] IReadOnlyDictionary<string, string>? staged) =>
        staged is not null && staged.Count == Needed.Count && Needed.All(staged.ContainsKey);
}
