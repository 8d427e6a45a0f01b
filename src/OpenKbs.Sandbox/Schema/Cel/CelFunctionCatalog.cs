namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// The functions a rule may call, with the result types the checker infers: CEL's standard functions and the
/// Kubernetes libraries implemented in <see cref="CelStandardLibrary"/> (strings, lists, regex, URLs, sets,
/// optionals). A rule calling anything else fails to compile, as it would on a cluster without that library.
/// </summary>
internal static class CelFunctionCatalog
{
    /// <summary>Comprehension macros (receiver.macro(var, expr)).</summary>
    public static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "all", "exists", "exists_one", "map", "filter" };

    /// <summary>Identifiers that denote types (type(x) == string).</summary>
    public static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
    };

    private static readonly CelTypeKind[] Strings = [CelTypeKind.String];
    private static readonly CelTypeKind[] Lists = [CelTypeKind.List];
    private static readonly CelTypeKind[] Urls = [CelTypeKind.Url];
    private static readonly CelTypeKind[] Optionals = [CelTypeKind.Optional];
    private static readonly CelTypeKind[] Sized = [CelTypeKind.String, CelTypeKind.Bytes, CelTypeKind.List, CelTypeKind.Map];
    private static readonly CelTypeKind[] Times = [CelTypeKind.Timestamp, CelTypeKind.Duration];
    private static readonly CelTypeKind[] Any = [];

    private static readonly Dictionary<string, List<CelOverload>> Overloads = Build();

    public static bool IsKnown(string name) => Overloads.ContainsKey(name);

    public static IReadOnlyList<CelOverload> Find(string name) => Overloads.TryGetValue(name, out var list) ? list : [];

    /// <summary>Every function name a rule may use (documented in docs/sandbox-schema.md).</summary>
    public static IEnumerable<string> Names => Overloads.Keys.Order(StringComparer.Ordinal);

    private static Dictionary<string, List<CelOverload>> Build()
    {
        var all = new List<CelOverload>
        {
            // CEL standard library (implemented by the Cel package).
            Global("size", 1, _ => CelType.Int),
            Member("size", 0, Sized, _ => CelType.Int),
            Member("contains", 1, Strings, _ => CelType.Bool),
            Member("startsWith", 1, Strings, _ => CelType.Bool),
            Member("endsWith", 1, Strings, _ => CelType.Bool),
            Member("matches", 1, Strings, _ => CelType.Bool),
            Global("matches", 2, _ => CelType.Bool),
            Global("int", 1, _ => CelType.Int),
            Global("uint", 1, _ => CelType.Uint),
            Global("double", 1, _ => CelType.Double),
            Global("string", 1, _ => CelType.String),
            Global("bytes", 1, _ => CelType.Bytes),
            Global("bool", 1, _ => CelType.Bool),
            Global("duration", 1, _ => CelType.Duration),
            Global("timestamp", 1, _ => CelType.Timestamp),
            Global("dyn", 1, _ => CelType.Dyn),
            Global("type", 1, _ => CelType.TypeType),

            // Kubernetes strings library (cel-go ext.Strings as enabled by kube-apiserver).
            Member("charAt", 1, Strings, _ => CelType.String),
            Member("indexOf", 1, Strings, _ => CelType.Int),
            Member("indexOf", 2, Strings, _ => CelType.Int),
            Member("lastIndexOf", 1, Strings, _ => CelType.Int),
            Member("lastIndexOf", 2, Strings, _ => CelType.Int),
            Member("lowerAscii", 0, Strings, _ => CelType.String),
            Member("upperAscii", 0, Strings, _ => CelType.String),
            Member("replace", 2, Strings, _ => CelType.String),
            Member("replace", 3, Strings, _ => CelType.String),
            Member("split", 1, Strings, _ => CelType.ListOf(CelType.String)),
            Member("split", 2, Strings, _ => CelType.ListOf(CelType.String)),
            Member("substring", 1, Strings, _ => CelType.String),
            Member("substring", 2, Strings, _ => CelType.String),
            Member("trim", 0, Strings, _ => CelType.String),
            Member("join", 0, Lists, _ => CelType.String),
            Member("join", 1, Lists, _ => CelType.String),

            // Kubernetes lists library.
            Member("isSorted", 0, Lists, _ => CelType.Bool),
            Member("sum", 0, Lists, r => r.Elem ?? CelType.Dyn),
            Member("min", 0, Lists, r => r.Elem ?? CelType.Dyn),
            Member("max", 0, Lists, r => r.Elem ?? CelType.Dyn),
            Member("indexOf", 1, Lists, _ => CelType.Int),
            Member("lastIndexOf", 1, Lists, _ => CelType.Int),

            // Kubernetes regex library.
            Member("find", 1, Strings, _ => CelType.String),
            Member("findAll", 1, Strings, _ => CelType.ListOf(CelType.String)),
            Member("findAll", 2, Strings, _ => CelType.ListOf(CelType.String)),

            // Kubernetes URL library.
            Global("url", 1, _ => CelType.Url),
            Global("isURL", 1, _ => CelType.Bool),
            Member("getScheme", 0, Urls, _ => CelType.String),
            Member("getHost", 0, Urls, _ => CelType.String),
            Member("getHostname", 0, Urls, _ => CelType.String),
            Member("getPort", 0, Urls, _ => CelType.String),
            Member("getEscapedPath", 0, Urls, _ => CelType.String),
            Member("getQuery", 0, Urls, _ => CelType.MapOf(CelType.ListOf(CelType.String))),

            // cel-go ext.Sets.
            Global("sets.contains", 2, _ => CelType.Bool),
            Global("sets.equivalent", 2, _ => CelType.Bool),
            Global("sets.intersects", 2, _ => CelType.Bool),

            // Optional values (oldSelf with optionalOldSelf: true, x.?field).
            Global("optional.of", 1, _ => CelType.OptionalOf(CelType.Dyn)),
            Global("optional.none", 0, _ => CelType.OptionalOf(CelType.Dyn)),
            Global("optional.ofNonZeroValue", 1, _ => CelType.OptionalOf(CelType.Dyn)),
            Member("hasValue", 0, Optionals, _ => CelType.Bool),
            Member("value", 0, Optionals, r => r.Elem ?? CelType.Dyn),
            Member("orValue", 1, Optionals, r => r.Elem ?? CelType.Dyn),
            Member("or", 1, Optionals, r => r),
        };

        foreach (var name in new[] { "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds" })
        {
            all.Add(Member(name, 0, Times, _ => CelType.Int));
            all.Add(Member(name, 1, Times, _ => CelType.Int));
        }

        return all.GroupBy(o => o.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    private static CelOverload Global(string name, int arity, Func<CelType, CelType> result) => new(name, false, arity, Any, result);

    private static CelOverload Member(string name, int arity, CelTypeKind[] receivers, Func<CelType, CelType> result) => new(name, true, arity, receivers, result);
}
