using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// The structural schema of one custom resource version: defaulting, pruning, validation (OpenAPI and CEL).
/// Implemented by an adapter over the schema library (OpenKbs.Sandbox.Schema) or a pass-through.
/// </summary>
internal interface ISchemaValidator
{
    void ApplyDefaults(JsonObject obj);

    void Prune(JsonObject obj);

    /// <summary>Validates the object (and transition rules against <paramref name="oldObj"/>). Returns null when valid,
    /// else the 422 Status to answer (when the library builds it) or the errors.</summary>
    SchemaValidationResult Validate(JsonObject obj, JsonObject? oldObj, string group, string kind, string name);
}
