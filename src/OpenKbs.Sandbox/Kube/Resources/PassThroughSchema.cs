using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Accepts everything (no defaulting, pruning or validation): the fallback when a CRD version has no usable schema.</summary>
internal sealed class PassThroughSchema : ISchemaValidator, ISchemaCompiler
{
    public static readonly PassThroughSchema Instance = new();

    public ISchemaValidator Compile(JsonObject crd, string version) => this;

    public void ApplyDefaults(JsonObject obj)
    {
    }

    public IReadOnlyList<string> Prune(JsonObject obj) => [];

    public IReadOnlyList<KubeFieldError> Validate(JsonObject obj, JsonObject? oldObj) => [];
}
