namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A CEL type as a value: what type(x) returns and what the identifiers int, string, list, ... denote.</summary>
internal sealed record CelTypeValue(string Name)
{
    public static CelTypeValue Of(object? value) => new(value switch
    {
        null => "null_type",
        bool => "bool",
        long or int => "int",
        ulong => "uint",
        double => "double",
        string => "string",
        byte[] => "bytes",
        DateTimeOffset => "google.protobuf.Timestamp",
        TimeSpan => "google.protobuf.Duration",
        System.Collections.IList => "list",
        System.Collections.IDictionary => "map",
        CelTypeValue => "type",
        CelOptional => "optional_type",
        CelUrl => "kubernetes.URL",
        _ => "dyn",
    });
}
