namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// model.SchemaDeclType: the CEL type of a schema node. Resource roots (the custom resource and embedded resources)
/// always expose apiVersion, kind and metadata.name/generateName; other metadata fields are not visible to rules.
/// Nodes without a type (x-kubernetes-preserve-unknown-fields alone) have no CEL type and are invisible.
/// </summary>
internal static class CelDeclTypes
{
    private static readonly CelType ResourceMetadata = CelType.ObjectOf(
        new Dictionary<string, CelType>(StringComparer.Ordinal) { ["name"] = CelType.String, ["generateName"] = CelType.String },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = "name", ["generateName"] = "generateName" });

    public static CelType? FromSchema(SchemaNode node, bool isResourceRoot)
    {
        if (node.IntOrString)
        {
            return CelType.Dyn;
        }

        switch (node.Type)
        {
            case "array":
                return node.Items is { } items && FromSchema(items, items.EmbeddedResource) is { } itemType ? CelType.ListOf(itemType) : null;
            case "object":
                if (node.AdditionalProperties is { } additional)
                {
                    return FromSchema(additional, additional.EmbeddedResource) is { } valueType ? CelType.MapOf(valueType) : null;
                }

                var fields = new Dictionary<string, CelType>(StringComparer.Ordinal);
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                if (node.Properties is not null)
                {
                    foreach (var (name, prop) in node.Properties)
                    {
                        if (FromSchema(prop, prop.EmbeddedResource) is { } fieldType && CelNames.Escape(name) is { } escaped)
                        {
                            fields[escaped] = fieldType;
                            names[escaped] = name;
                        }
                    }
                }

                if (isResourceRoot)
                {
                    fields["apiVersion"] = CelType.String;
                    names["apiVersion"] = "apiVersion";
                    fields["kind"] = CelType.String;
                    names["kind"] = "kind";
                    fields["metadata"] = ResourceMetadata;
                    names["metadata"] = "metadata";
                }

                return CelType.ObjectOf(fields, names);
            case "string":
                return node.Format switch
                {
                    "byte" => CelType.Bytes,
                    "duration" => CelType.Duration,
                    "date" or "date-time" => CelType.Timestamp,
                    _ => CelType.String,
                };
            case "boolean":
                return CelType.Bool;
            case "number":
                return CelType.Double;
            case "integer":
                return CelType.Int;
            default:
                return null;
        }
    }
}
