using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Accepts everything: used when no schema library is plugged in (documented limit: no defaulting, pruning or validation).</summary>
internal sealed class PassThroughSchema : ISchemaValidator, ISchemaCompiler
{
    public static readonly PassThroughSchema Instance = new();

    public ISchemaValidator Compile(JsonNode openApiV3Schema) => this;

    public void ApplyDefaults(JsonObject obj)
    {
    }

    public void Prune(JsonObject obj)
    {
    }

    public SchemaValidationResult Validate(JsonObject obj, JsonObject? oldObj, string group, string kind, string name) => SchemaValidationResult.Valid;
}
