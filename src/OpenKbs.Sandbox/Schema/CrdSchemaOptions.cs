namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// What a <see cref="CrdSchema"/> knows beyond the openAPIV3Schema: the resource's identity (to check apiVersion and
/// kind), its scope (to require or forbid metadata.namespace) and where the schema sits in the CRD (for the paths of
/// schema errors). <see cref="CrdSchema.FromCrd"/> fills all of it from the CRD.
/// </summary>
public sealed record CrdSchemaOptions
{
    /// <summary>API group, e.g. "openkbs.com". With <see cref="Version"/> and <see cref="Kind"/> enables the apiVersion/kind check.</summary>
    public string? Group { get; init; }

    /// <summary>Version, e.g. "v1alpha1".</summary>
    public string? Version { get; init; }

    /// <summary>Kind, e.g. "ClientAccount".</summary>
    public string? Kind { get; init; }

    /// <summary>True: metadata.namespace is required; false: forbidden (cluster-scoped); null: not checked.</summary>
    public bool? Namespaced { get; init; }

    /// <summary>Path of the schema inside the CRD, prefixed to schema and rule compilation errors.</summary>
    public string SchemaPath { get; init; } = "openAPIV3Schema";
}
