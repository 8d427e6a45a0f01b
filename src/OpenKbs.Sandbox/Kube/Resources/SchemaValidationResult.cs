using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Schema validation errors (as field errors) and, when the schema library built one, the exact 422 Status body.</summary>
internal sealed record SchemaValidationResult(IReadOnlyList<KubeFieldError> Errors, JsonObject? StatusBody)
{
    public static readonly SchemaValidationResult Valid = new([], null);

    public bool IsValid => Errors.Count == 0 && StatusBody is null;
}
