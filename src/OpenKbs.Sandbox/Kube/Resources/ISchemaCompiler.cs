using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Compiles the schema of one version of a CRD. Throws <see cref="SchemaCompileException"/> for a schema Kubernetes would reject.</summary>
internal interface ISchemaCompiler
{
    ISchemaValidator Compile(JsonObject crd, string version);
}
