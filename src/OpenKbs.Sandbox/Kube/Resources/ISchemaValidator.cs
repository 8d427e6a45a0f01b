using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// The structural schema of one custom resource version: defaulting, pruning, validation (metadata, OpenAPI, CEL).
/// Implemented over the schema library (OpenKbs.Sandbox.Schema.CrdSchema).
/// </summary>
internal interface ISchemaValidator
{
    void ApplyDefaults(JsonObject obj);

    /// <summary>Drops unknown fields; returns their paths ("spec.foo").</summary>
    IReadOnlyList<string> Prune(JsonObject obj);

    /// <summary>Validates the object (metadata included), and transition rules against <paramref name="oldObj"/>; empty when valid.</summary>
    IReadOnlyList<KubeFieldError> Validate(JsonObject obj, JsonObject? oldObj);
}
