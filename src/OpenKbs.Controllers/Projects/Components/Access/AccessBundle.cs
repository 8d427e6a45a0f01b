using System.Reflection;
using OpenKbs.Zip;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The access function and the <c>@openkbs/auth</c> layer as deterministic zips, built once from the JavaScript of
/// <c>src/OpenKbs.Access</c> embedded in this assembly (docs/access.md, "Layout"), zipped by <see cref="DeterministicZip"/>,
/// so the same operator build always yields the same SHA-256 (Lambda's CodeSha256
/// then says whether the deployed code is current). The function zip carries the helper at <c>node_modules/@openkbs/auth/</c>
/// (the function needs no layer); the layer zip has it at <c>nodejs/node_modules/@openkbs/auth/</c> for the client functions.
/// </summary>
internal sealed class AccessBundle
{
    private const string FunctionResources = "access/function/";
    private const string LayerResources = "access/layer/";

    private static readonly Lazy<AccessBundle> Instance = new(() => new AccessBundle(typeof(AccessBundle).Assembly));

    private AccessBundle(Assembly assembly)
    {
        var function = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var layer = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (name.StartsWith(FunctionResources, StringComparison.Ordinal))
            {
                function[name[FunctionResources.Length..]] = Read(assembly, name);
            }
            else if (name.StartsWith(LayerResources, StringComparison.Ordinal))
            {
                var helper = Read(assembly, name);
                function["node_modules/@openkbs/auth/" + name[LayerResources.Length..]] = helper;
                layer["nodejs/node_modules/@openkbs/auth/" + name[LayerResources.Length..]] = helper;
            }
        }

        if (!function.ContainsKey("index.js") || !layer.Keys.Any(k => k.EndsWith("/index.js", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the access function's JavaScript is not embedded in OpenKbs.Controllers (src/OpenKbs.Access)");
        }

        FunctionZip = DeterministicZip.Create(function);
        FunctionSha256 = DeterministicZip.Sha256Hex(FunctionZip);
        LayerZip = DeterministicZip.Create(layer);
        LayerSha256 = DeterministicZip.Sha256Hex(LayerZip);
    }

    public static AccessBundle Current => Instance.Value;

    /// <summary>The access function's zip (handler <c>index.handler</c>).</summary>
    public byte[] FunctionZip { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="FunctionZip"/>.</summary>
    public string FunctionSha256 { get; }

    /// <summary>The layer's zip.</summary>
    public byte[] LayerZip { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="LayerZip"/> (named in the layer version's description: unchanged content is not republished).</summary>
    public string LayerSha256 { get; }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
