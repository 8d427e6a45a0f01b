namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>The kinds of CEL types the rule checker distinguishes.</summary>
internal enum CelTypeKind
{
    Dyn,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    List,
    Map,
    Object,
    Timestamp,
    Duration,
    Type,
    Url,
    Optional,
}
