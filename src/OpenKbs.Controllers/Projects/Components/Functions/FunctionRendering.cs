using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.Artifact;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// The desired configuration of a function as a pure function of the project (docs/project.md, "Functions"): the client
/// functions of <see cref="FunctionsStep"/> and the access function of the access component are rendered by the same code.
/// </summary>
internal static class FunctionRendering
{
    /// <summary>Plain variable: <c>namespace/Project/name</c> (with the uid, the encryption context of the sealed settings).</summary>
    public const string ProjectVariable = "OPENKBS_PROJECT";

    /// <summary>Plain variable: the Project's uid.</summary>
    public const string UidVariable = "OPENKBS_PROJECT_UID";

    /// <summary>The suffix of a sealed setting's digest variable.</summary>
    public const string DigestSuffix = "_DIGEST";

    /// <summary>Plain variable with client access on: where <c>@openkbs/auth</c> fetches the project's public keys (docs/access.md).</summary>
    public const string JwksUrlVariable = "OPENKBS_JWKS_URL";

    /// <summary>The desired function (pure apart from the digests of this pass's sealed settings).</summary>
    public static FunctionDesired Render(ProjectContext context, FunctionSpec function, IReadOnlyDictionary<string, string> digests, string roleArn, ArtifactLocation artifact)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(function);
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in function.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        environment[ProjectVariable] = $"{context.Project.Metadata.NamespaceProperty}/{Project.KubeKind}/{context.Project.Metadata.Name}";
        environment[UidVariable] = context.Project.Metadata.Uid!;
        foreach (var (name, digest) in digests)
        {
            environment[name + DigestSuffix] = digest;
        }

        return new FunctionDesired
        {
            SpecName = function.Name,
            FunctionName = context.Names.Function(function.Name),
            Runtime = function.Runtime,
            Handler = function.Handler,
            MemorySize = function.MemoryMb ?? 128,
            Timeout = function.TimeoutSeconds ?? 3,
            Role = roleArn,
            Environment = environment,
            SealedVariables = [.. digests.Keys],
            Tags = context.Tags,
            Code = artifact,
        };
    }

    /// <summary>
    /// A client function with client access on (the access step returned <see cref="AccessFacts"/>, only when access is enabled):
    /// the project's current <c>@openkbs/auth</c> layer version and <see cref="JwksUrlVariable"/>, each once known; the audience
    /// comes from <see cref="UidVariable"/>. Without access facts neither, so turning access off removes both.
    /// </summary>
    public static FunctionDesired WithClientAccess(FunctionDesired desired, AccessFacts? access)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (access is null)
        {
            return desired;
        }

        var environment = new SortedDictionary<string, string>(desired.Environment.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        if (access.JwksUrl is { } jwks)
        {
            environment[JwksUrlVariable] = jwks;
        }

        return desired with { Environment = environment, Layers = access.LayerVersionArn is { } layer ? [layer] : [] };
    }
}
