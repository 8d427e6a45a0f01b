using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Compiles a CRD version's openAPIV3Schema into a validator. Throws <see cref="FormatException"/> (message = reason) for a schema Kubernetes would reject.</summary>
internal interface ISchemaCompiler
{
    ISchemaValidator Compile(JsonNode openApiV3Schema);
}
