using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema;

/// <summary>One entry of x-kubernetes-validations (apiextensions.k8s.io/v1 ValidationRule).</summary>
internal sealed record ValidationRule
{
    public required string Rule { get; init; }

    public string Message { get; init; } = "";

    public string MessageExpression { get; init; } = "";

    public string? Reason { get; init; }

    public string FieldPath { get; init; } = "";

    public bool? OptionalOldSelf { get; init; }

    /// <summary>The rule as written in the CRD, for error messages.</summary>
    public required JsonNode Raw { get; init; }
}
