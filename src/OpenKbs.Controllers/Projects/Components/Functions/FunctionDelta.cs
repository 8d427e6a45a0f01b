using OpenKbs.Aws.Lambda.Model;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// The paths in which a function differs from <see cref="FunctionDesired"/> (ACK-style): <c>Tags</c> → TagResource/UntagResource,
/// <c>Code</c> → UpdateFunctionCode, everything else → one UpdateFunctionConfiguration. Pure, so table-tested.
/// </summary>
internal static class FunctionDelta
{
    public const string Code = "Code";
    public const string Runtime = "Runtime";
    public const string Handler = "Handler";
    public const string MemorySize = "MemorySize";
    public const string Timeout = "Timeout";
    public const string Role = "Role";
    public const string Environment = "Environment";
    public const string Tags = "Tags";

    /// <summary>The configuration paths (one UpdateFunctionConfiguration call).</summary>
    public static readonly IReadOnlyList<string> ConfigurationPaths = [Runtime, Handler, MemorySize, Timeout, Role, Environment];

    public static IReadOnlyList<string> Compute(FunctionConfiguration current, IReadOnlyDictionary<string, string>? currentTags, FunctionDesired desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var paths = new List<string>();
        if (current.CodeSha256 != desired.Code.CodeSha256)
        {
            paths.Add(Code);
        }

        if (current.Runtime != desired.Runtime)
        {
            paths.Add(Runtime);
        }

        if (current.Handler != desired.Handler)
        {
            paths.Add(Handler);
        }

        if ((current.MemorySize ?? 128) != desired.MemorySize)
        {
            paths.Add(MemorySize);
        }

        if ((current.Timeout ?? 3) != desired.Timeout)
        {
            paths.Add(Timeout);
        }

        if (current.Role != desired.Role)
        {
            paths.Add(Role);
        }

        if (!EnvironmentMatches(current.Environment?.Variables, desired))
        {
            paths.Add(Environment);
        }

        if (!TagsMatch(currentTags, desired.Tags))
        {
            paths.Add(Tags);
        }

        return paths;
    }

    /// <summary>Plain variables equal, every sealed variable present, nothing else.</summary>
    public static bool EnvironmentMatches(IReadOnlyDictionary<string, string>? current, FunctionDesired desired)
    {
        current ??= new Dictionary<string, string>();
        if (current.Count != desired.Environment.Count + desired.SealedVariables.Count)
        {
            return false;
        }

        return desired.Environment.All(e => current.TryGetValue(e.Key, out var v) && v == e.Value)
            && desired.SealedVariables.All(n => current.TryGetValue(n, out var v) && !string.IsNullOrEmpty(v));
    }

    /// <summary>The owner tags are set and no released tag remains (other tools' tags are left alone).</summary>
    public static bool TagsMatch(IReadOnlyDictionary<string, string>? current, IReadOnlyDictionary<string, string> desired)
    {
        current ??= new Dictionary<string, string>();
        return desired.All(t => current.TryGetValue(t.Key, out var v) && v == t.Value) && !current.ContainsKey(Api.Labels.Released);
    }
}
