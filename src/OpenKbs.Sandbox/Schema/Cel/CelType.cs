namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// A CEL type as the Kubernetes rule compiler declares it from the schema (apiserver/pkg/cel DeclType): scalars,
/// list(elem), map(string, value) for additionalProperties, and object types whose fields are the (escaped)
/// properties. Only what the static checker needs.
/// </summary>
internal sealed class CelType
{
    public static readonly CelType Dyn = new(CelTypeKind.Dyn);
    public static readonly CelType Bool = new(CelTypeKind.Bool);
    public static readonly CelType Int = new(CelTypeKind.Int);
    public static readonly CelType Uint = new(CelTypeKind.Uint);
    public static readonly CelType Double = new(CelTypeKind.Double);
    public static readonly CelType String = new(CelTypeKind.String);
    public static readonly CelType Bytes = new(CelTypeKind.Bytes);
    public static readonly CelType Null = new(CelTypeKind.Null);
    public static readonly CelType Timestamp = new(CelTypeKind.Timestamp);
    public static readonly CelType Duration = new(CelTypeKind.Duration);
    public static readonly CelType TypeType = new(CelTypeKind.Type);
    public static readonly CelType Url = new(CelTypeKind.Url);

    private CelType(CelTypeKind kind, CelType? elem = null, IReadOnlyDictionary<string, CelType>? fields = null)
    {
        Kind = kind;
        Elem = elem;
        Fields = fields;
    }

    public CelTypeKind Kind { get; }

    /// <summary>Element type of a list, value type of a map, value of an optional.</summary>
    public CelType? Elem { get; }

    /// <summary>Object fields by escaped name.</summary>
    public IReadOnlyDictionary<string, CelType>? Fields { get; }

    /// <summary>The unescaped property name of each object field (for value conversion).</summary>
    public IReadOnlyDictionary<string, string>? PropertyNames { get; private init; }

    public static CelType ListOf(CelType elem) => new(CelTypeKind.List, elem);

    public static CelType MapOf(CelType value) => new(CelTypeKind.Map, value);

    public static CelType OptionalOf(CelType value) => new(CelTypeKind.Optional, value);

    public static CelType ObjectOf(IReadOnlyDictionary<string, CelType> fields, IReadOnlyDictionary<string, string> propertyNames) =>
        new(CelTypeKind.Object, null, fields) { PropertyNames = propertyNames };

    public bool IsDyn => Kind == CelTypeKind.Dyn;

    /// <summary>The type name cel-go prints in messages.</summary>
    public override string ToString() => Kind switch
    {
        CelTypeKind.Dyn => "dyn",
        CelTypeKind.Bool => "bool",
        CelTypeKind.Int => "int",
        CelTypeKind.Uint => "uint",
        CelTypeKind.Double => "double",
        CelTypeKind.String => "string",
        CelTypeKind.Bytes => "bytes",
        CelTypeKind.Null => "null_type",
        CelTypeKind.List => $"list({Elem})",
        CelTypeKind.Map => $"map(string, {Elem})",
        CelTypeKind.Object => "object",
        CelTypeKind.Timestamp => "google.protobuf.Timestamp",
        CelTypeKind.Duration => "google.protobuf.Duration",
        CelTypeKind.Type => "type",
        CelTypeKind.Url => "kubernetes.URL",
        CelTypeKind.Optional => $"optional_type({Elem})",
        _ => "dyn",
    };
}
