using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// The paths in which a function differs from <see cref="FunctionDesired"/> (ACK-style delta): <see cref="Tags"/> →
/// TagResource/UntagResource, <see cref="Code"/> → UpdateFunctionCode, every other path (<see cref="ConfigurationPaths"/>) →
/// one UpdateFunctionConfiguration. Computed by <see cref="Between"/>, a pure function of what is wanted and what was observed.
/// </summary>
internal sealed record FunctionDelta : PathDelta
{
    public const string Code = "Code";
    public const string Runtime = "Runtime";
    public const string Handler = "Handler";
    public const string MemorySize = "MemorySize";
    public const string Timeout = "Timeout";
    public const string Role = "Role";
    public const string Environment = "Environment";
    public const string Layers = "Layers";
    public const string Tags = "Tags";

    /// <summary>The configuration paths (one UpdateFunctionConfiguration call).</summary>
    public static readonly IReadOnlyList<string> ConfigurationPaths = [Runtime, Handler, MemorySize, Timeout, Role, Environment, Layers];

    /// <summary>The owner tags that are missing or differ (written with TagResource when <see cref="Tags"/> differs).</summary>
    public IReadOnlyDictionary<string, string> MissingTags { get; private init; } = new Dictionary<string, string>();

    /// <summary>True when the released tag must go (UntagResource).</summary>
    public bool ClearReleased { get; private init; }

    /// <summary>True when a configuration path differs (one UpdateFunctionConfiguration).</summary>
    public bool HasConfiguration => Paths.Any(ConfigurationPaths.Contains);

    /// <summary>The paths other than the tags, for events and messages.</summary>
    public string Changes => string.Join(", ", Paths.Where(p => p != Tags));

    /// <summary>The paths where <paramref name="observed"/> is not <paramref name="desired"/>: code first, configuration, tags last.</summary>
    public static FunctionDelta Between(FunctionDesired desired, FunctionObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var current = observed.Configuration;
        var missing = OwnershipTags.Missing(desired.Tags, observed.Tags).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var delta = new FunctionDelta { MissingTags = missing, ClearReleased = observed.IsReleased };
        void AddWhen(bool differs, string path)
        {
            if (differs)
            {
                delta.Paths.Add(path);
            }
        }

        AddWhen(current.CodeSha256 != desired.Code.CodeSha256, Code);
        AddWhen(current.Runtime != desired.Runtime, Runtime);
        AddWhen(current.Handler != desired.Handler, Handler);
        AddWhen((current.MemorySize ?? 128) != desired.MemorySize, MemorySize);
        AddWhen((current.Timeout ?? 3) != desired.Timeout, Timeout);
        AddWhen(current.Role != desired.Role, Role);
        AddWhen(!EnvironmentMatches(current.Environment?.Variables, desired), Environment);
        AddWhen(!(current.Layers ?? []).Select(l => l.Arn).SequenceEqual(desired.Layers, StringComparer.Ordinal), Layers);
        AddWhen(missing.Count > 0 || observed.IsReleased, Tags);
        return delta;
    }

    /// <summary>Plain variables equal, every sealed variable present, nothing else.</summary>
    public static bool EnvironmentMatches(IReadOnlyDictionary<string, string>? current, FunctionDesired desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        current ??= new Dictionary<string, string>();
        if (current.Count != desired.Environment.Count + desired.SealedVariables.Count)
        {
            return false;
        }

        return desired.Environment.All(e => current.TryGetValue(e.Key, out var v) && v == e.Value)
            && desired.SealedVariables.All(n => current.TryGetValue(n, out var v) && !string.IsNullOrEmpty(v));
    }

    public override string ToString() => string.Join(", ", Paths);
}
