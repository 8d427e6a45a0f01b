using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// The link to the schema library (OpenKbs.Sandbox.Schema): each served CRD version compiles to a <see cref="CrdSchema"/>
/// (structural checks, defaulting, pruning, OpenAPI and metadata validation, CEL rules with oldSelf).
/// </summary>
internal sealed class SchemaAdapter : ISchemaCompiler
{
    public static readonly SchemaAdapter Compiler = new();

    public ISchemaValidator Compile(JsonObject crd, string version)
    {
        try
        {
            return new Validator(CrdSchema.FromCrd(crd, version));
        }
        catch (CrdSchemaException ex)
        {
            throw new SchemaCompileException(ex.Errors.Select(KubeFieldError.From).ToList());
        }
    }

    private sealed class Validator(CrdSchema schema) : ISchemaValidator
    {
        public void ApplyDefaults(JsonObject obj) => schema.ApplyDefaults(obj);

        public IReadOnlyList<string> Prune(JsonObject obj) => schema.Prune(obj);

        public IReadOnlyList<KubeFieldError> Validate(JsonObject obj, JsonObject? oldObj) =>
            schema.Validate(obj, oldObj).Select(KubeFieldError.From).ToList();
    }
}
