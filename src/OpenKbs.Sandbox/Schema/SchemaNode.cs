using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenKbs.Sandbox.Schema.Cel;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// One node of a structural schema (apiextensions' schema.Structural plus its value validations), parsed once from
/// the CRD's openAPIV3Schema. Properties keep their declaration order.
/// </summary>
internal sealed class SchemaNode
{
    /// <summary>Where this node sits in the CRD, e.g. "spec.versions[0].schema.openAPIV3Schema.properties[spec]".</summary>
    public required string SchemaPath { get; init; }

    public string? Type { get; set; }

    public string? Format { get; set; }

    public bool Nullable { get; set; }

    public JsonNode? Default { get; set; }

    public bool HasDefault { get; set; }

    public string? Description { get; set; }

    public OrderedDictionary<string, SchemaNode>? Properties { get; set; }

    public SchemaNode? AdditionalProperties { get; set; }

    /// <summary>additionalProperties given as a boolean.</summary>
    public bool? AdditionalPropertiesAllowed { get; set; }

    public SchemaNode? Items { get; set; }

    public List<string> Required { get; } = [];

    public JsonArray? Enum { get; set; }

    public double? Maximum { get; set; }

    public bool ExclusiveMaximum { get; set; }

    public double? Minimum { get; set; }

    public bool ExclusiveMinimum { get; set; }

    public double? MultipleOf { get; set; }

    public long? MaxLength { get; set; }

    public long? MinLength { get; set; }

    public long? MaxItems { get; set; }

    public long? MinItems { get; set; }

    public long? MaxProperties { get; set; }

    public long? MinProperties { get; set; }

    public string? Pattern { get; set; }

    public Regex? PatternRegex { get; set; }

    public bool UniqueItems { get; set; }

    public List<SchemaNode> AllOf { get; } = [];

    public List<SchemaNode> AnyOf { get; } = [];

    public List<SchemaNode> OneOf { get; } = [];

    public SchemaNode? Not { get; set; }

    public bool PreserveUnknownFields { get; set; }

    public bool EmbeddedResource { get; set; }

    public bool IntOrString { get; set; }

    public string? ListType { get; set; }

    public List<string> ListMapKeys { get; } = [];

    public string? MapType { get; set; }

    public List<ValidationRule> Rules { get; } = [];

    /// <summary>The compiled x-kubernetes-validations of this node, in order (set by the CEL compiler).</summary>
    public List<CompiledRule> CompiledRules { get; } = [];

    /// <summary>True when this node or a descendant has CEL rules (set by the CEL compiler).</summary>
    public bool HasRulesBelow { get; set; }

    /// <summary>The original JSON of the node (used to publish OpenAPI documents).</summary>
    public required JsonObject Raw { get; init; }

    public bool HasValueValidations =>
        AllOf.Count > 0 || AnyOf.Count > 0 || OneOf.Count > 0 || Not is not null;

    public SchemaNode? Property(string name) =>
        Properties is not null && Properties.TryGetValue(name, out var node) ? node : null;
}
