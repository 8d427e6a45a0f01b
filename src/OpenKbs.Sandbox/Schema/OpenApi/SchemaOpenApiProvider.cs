using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Http;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Schema.OpenApi;

/// <summary>
/// Serves the CRD parts of /openapi/v2 and /openapi/v3 from <see cref="OpenApiBuilder"/> (kube-apiserver's CRD
/// documents) and leaves the built-in kinds to the server's own provider.
/// </summary>
internal sealed class SchemaOpenApiProvider(IOpenApiProvider builtIn) : IOpenApiProvider
{
    public JsonObject BuildV2(IReadOnlyCollection<ResourceType> types, IReadOnlyList<JsonObject> crds)
    {
        var document = builtIn.BuildV2(types, crds);
        var crdDocument = OpenApiBuilder.BuildV2(crds);
        var definitions = document["definitions"] as JsonObject ?? [];
        document["definitions"] = definitions;
        foreach (var t in types.Where(t => t.IsCustom))
        {
            definitions.Remove(DefaultOpenApiProvider.SchemaName(t));
        }

        foreach (var (name, schema) in crdDocument["definitions"]!.AsObject().ToList())
        {
            definitions[name] = schema?.DeepClone();
        }

        var paths = document["paths"] as JsonObject ?? [];
        document["paths"] = paths;
        foreach (var (path, item) in crdDocument["paths"]!.AsObject().ToList())
        {
            paths[path] = item?.DeepClone();
        }

        return document;
    }

    public JsonObject? BuildV3GroupVersion(string group, string version, IReadOnlyCollection<ResourceType> types, IReadOnlyList<JsonObject> crds)
    {
        var served = types.Where(t => t.Group == group && t.Version == version).ToList();
        if (served.Count == 0 || served.Any(t => !t.IsCustom))
        {
            return builtIn.BuildV3GroupVersion(group, version, types, crds);
        }

        return OpenApiBuilder.BuildV3GroupVersion(group, version, crds);
    }
}
