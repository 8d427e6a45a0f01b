using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.Crds;

/// <summary>
/// Builds structural OpenAPI v3 schemas from the C# types: property names as KubernetesJson writes them (camelCase
/// or [JsonPropertyName]), descriptions from XML docs, required from the C# <c>required</c> modifier, validation from
/// the attributes in <c>OpenKbs.Api.Schema</c>. Properties are sorted by name so the output is deterministic.
/// </summary>
internal sealed class SchemaBuilder(XmlDocumentation docs)
{
    private readonly HashSet<Type> _visiting = [];

    public V1JSONSchemaProps ForResource(Type resourceType, Type specType, Type statusType)
    {
        var spec = ForType(specType);
        var status = ForType(statusType);
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = Require(docs.Summary(resourceType), resourceType.FullName!),
            Required = ["spec"],
            Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
            {
                ["apiVersion"] = new()
                {
                    Type = "string",
                    Description = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                },
                ["kind"] = new()
                {
                    Type = "string",
                    Description = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                },
                ["metadata"] = new() { Type = "object" },
                ["spec"] = spec,
                ["status"] = status,
            },
        };
    }

    /// <summary>The schema of a type, without what a property adds (its description, bounds, rules).</summary>
    public V1JSONSchemaProps ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(double))
        {
            return new V1JSONSchemaProps { Type = "number" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps
            {
                Type = "string",
                Description = docs.Summary(type),
                EnumProperty = EnumValues(type).Cast<object>().ToList(),
            };
        }

        if (type == typeof(V1Condition))
        {
            return ConditionSchema.Create();
        }

        if (type == typeof(V1ObjectMeta))
        {
            return new V1JSONSchemaProps { Type = "object" };
        }

        if (MapValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(valueType) };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(itemType) };
        }

        if (type.IsClass && type.Namespace?.StartsWith("OpenKbs.Api", StringComparison.Ordinal) == true)
        {
            return ForObject(type);
        }

        throw new NotSupportedException($"No schema mapping for {type}.");
    }

    /// <summary>The wire names of an enum's values, as KubernetesJson writes them.</summary>
    public static IReadOnlyList<string> EnumValues(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)
            .ToList();

    /// <summary>The property's name in JSON, as KubernetesJson (camelCase policy) writes it.</summary>
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>The serialized properties of a type: public, readable, not [JsonIgnore]d.</summary>
    public static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null);

    private V1JSONSchemaProps ForObject(Type type)
    {
        if (!_visiting.Add(type))
        {
            throw new NotSupportedException($"{type} refers to itself; recursive schemas are not structural.");
        }

        try
        {
            var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
            var required = new List<string>();
            foreach (var property in SerializedProperties(type))
            {
                var name = JsonName(property);
                properties.Add(name, ForProperty(property));
                if (property.GetCustomAttribute<RequiredMemberAttribute>() is not null)
                {
                    required.Add(name);
                }
            }

            required.Sort(StringComparer.Ordinal);
            var schema = new V1JSONSchemaProps
            {
                Type = "object",
                Description = Require(docs.Summary(type), type.FullName!),
                Properties = new Dictionary<string, V1JSONSchemaProps>(properties, StringComparer.Ordinal),
                Required = required.Count > 0 ? required : null,
            };
            AddRules(schema, type.GetCustomAttribute<ImmutableAttribute>(), type.GetCustomAttributes<CelRuleAttribute>());
            return schema;
        }
        finally
        {
            _visiting.Remove(type);
        }
    }

    private V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var schema = ForType(property.PropertyType);
        var where = $"{property.DeclaringType!.Name}.{property.Name}";
        schema.Description = Require(docs.Summary(property) ?? schema.Description, where);

        foreach (var attribute in property.GetCustomAttributes())
        {
            switch (attribute)
            {
                case EnumAttribute a:
                    Expect(schema, "string", where, a);
                    schema.EnumProperty = a.Values.Cast<object>().ToList();
                    break;
                case ItemEnumAttribute a:
                    Expect(Items(schema, where), "string", where, a);
                    Items(schema, where).EnumProperty = a.Values.Cast<object>().ToList();
                    break;
                case PatternAttribute a:
                    Expect(schema, "string", where, a);
                    schema.Pattern = a.Pattern;
                    break;
                case ItemPatternAttribute a:
                    Expect(Items(schema, where), "string", where, a);
                    Items(schema, where).Pattern = a.Pattern;
                    break;
                case MinLengthAttribute a:
                    Expect(schema, "string", where, a);
                    schema.MinLength = a.Value;
                    break;
                case MaxLengthAttribute a:
                    Expect(schema, "string", where, a);
                    schema.MaxLength = a.Value;
                    break;
                case ItemMaxLengthAttribute a:
                    var element = schema.Type == "object" ? (V1JSONSchemaProps?)schema.AdditionalProperties : schema.Items as V1JSONSchemaProps;
                    Expect(element ?? throw Misplaced(where, a), "string", where, a);
                    element.MaxLength = a.Value;
                    break;
                case MinimumAttribute a:
                    ExpectNumber(schema, where, a);
                    schema.Minimum = a.Value;
                    break;
                case MaximumAttribute a:
                    ExpectNumber(schema, where, a);
                    schema.Maximum = a.Value;
                    break;
                case MultipleOfAttribute a:
                    ExpectNumber(schema, where, a);
                    schema.MultipleOf = a.Value;
                    break;
                case MinItemsAttribute a:
                    Expect(schema, "array", where, a);
                    schema.MinItems = a.Value;
                    break;
                case MaxItemsAttribute a:
                    Expect(schema, "array", where, a);
                    schema.MaxItems = a.Value;
                    break;
                case MaxPropertiesAttribute a:
                    if (schema.AdditionalProperties is null)
                    {
                        throw Misplaced(where, a);
                    }

                    schema.MaxProperties = a.Value;
                    break;
                case ListMapKeysAttribute a:
                    Expect(schema, "array", where, a);
                    var item = Items(schema, where);
                    var missing = a.Keys.Where(k => item.Required?.Contains(k) != true).ToList();
                    if (missing.Count > 0)
                    {
                        throw new InvalidOperationException($"{where}: list map keys must be required item fields: {string.Join(", ", missing)}.");
                    }

                    schema.XKubernetesListType = "map";
                    schema.XKubernetesListMapKeys = a.Keys.ToList();
                    break;
                case ListSetAttribute a:
                    Expect(schema, "array", where, a);
                    schema.XKubernetesListType = "set";
                    break;
                case DefaultAttribute a:
                    schema.DefaultProperty = DefaultValue(a.Value);
                    break;
            }
        }

        AddRules(schema, property.GetCustomAttribute<ImmutableAttribute>(), property.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static void AddRules(V1JSONSchemaProps schema, ImmutableAttribute? immutable, IEnumerable<CelRuleAttribute> rules)
    {
        var validations = schema.XKubernetesValidations?.ToList() ?? [];
        validations.AddRange(rules.Select(r => new V1ValidationRule
        {
            Rule = r.Rule,
            Message = r.Message,
            FieldPath = r.FieldPath,
            Reason = r.Reason,
        }));
        if (immutable is not null)
        {
            validations.Add(new V1ValidationRule
            {
                Rule = "self == oldSelf",
                Message = immutable.Message,
                Reason = CelReasons.FieldValueForbidden,
            });
        }

        schema.XKubernetesValidations = validations.Count > 0 ? validations : null;
    }

    private static object DefaultValue(object value) => value switch
    {
        Enum e => EnumValues(e.GetType())[Array.IndexOf(Enum.GetValues(e.GetType()), e)],
        string[] strings => strings.Cast<object>().ToList(),
        string or bool or int or long or double => value,
        _ => throw new NotSupportedException($"Unsupported default value {value} ({value.GetType()})."),
    };

    private static V1JSONSchemaProps Items(V1JSONSchemaProps schema, string where) =>
        schema.Items as V1JSONSchemaProps ?? throw new InvalidOperationException($"{where} is not a list.");

    private static void Expect(V1JSONSchemaProps schema, string type, string where, Attribute attribute)
    {
        if (schema.Type != type)
        {
            throw Misplaced(where, attribute);
        }
    }

    private static void ExpectNumber(V1JSONSchemaProps schema, string where, Attribute attribute)
    {
        if (schema.Type is not ("integer" or "number"))
        {
            throw Misplaced(where, attribute);
        }
    }

    private static InvalidOperationException Misplaced(string where, Attribute attribute) =>
        new($"{attribute.GetType().Name} does not apply to {where}.");

    private static string Require(string? description, string where) =>
        description ?? throw new InvalidOperationException($"{where} has no XML doc <summary>; it becomes the CRD description users read in kubectl explain.");

    private static Type? MapValueType(Type type)
    {
        foreach (var candidate in type.GetInterfaces().Append(type))
        {
            if (candidate.IsGenericType &&
                (candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            {
                var arguments = candidate.GetGenericArguments();
                return arguments[0] == typeof(string)
                    ? arguments[1]
                    : throw new NotSupportedException($"Map keys must be strings: {type}.");
            }
        }

        return null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        foreach (var candidate in type.GetInterfaces().Append(type))
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                return candidate.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
