using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>Builds the /openapi/v2 and /openapi/v3 documents from the served resources and CRDs.</summary>
internal interface IOpenApiProvider
{
    JsonObject BuildV2(IReadOnlyCollection<ResourceType> types, IReadOnlyList<JsonObject> crds);

    /// <summary>The OpenAPI v3 document of one group/version, or null when nothing is served there.</summary>
    JsonObject? BuildV3GroupVersion(string group, string version, IReadOnlyCollection<ResourceType> types, IReadOnlyList<JsonObject> crds);
}
