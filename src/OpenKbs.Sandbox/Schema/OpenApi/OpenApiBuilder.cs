using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema.OpenApi;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// The OpenAPI documents kube-apiserver publishes for CRDs (apiextensions' openapi builder), so that kubectl explain
/// (v3) and kubectl apply's field validation (v3, falling back to v2) work against the sandbox: definitions named
/// com.openkbs.v1alpha1.ClientAccount with x-kubernetes-group-version-kind, metadata as a reference to ObjectMeta,
/// the meta.k8s.io definitions they need, and the resource paths with their query parameters (fieldValidation
/// included, which tells kubectl the server validates fields: answer fieldValidation=Strict/Warn with the paths
/// <see cref="CrdSchema.Prune"/> returns).
/// </summary>
public static class OpenApiBuilder
{
    private const string V2Prefix = "#/definitions/";
    private const string V3Prefix = "#/components/schemas/";

    private const string ApiVersionDescription = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
    private const string KindDescription = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
    private const string MetadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    private const string ListMetadataDescription = "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

    private static readonly string[] ValueValidationKeywords =
    [
        "format", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required",
        "allOf", "oneOf", "anyOf", "not",
    ];

    /// <summary>GET /openapi/v2: swagger 2.0 with the definitions and paths of every served CRD version.</summary>
    public static JsonObject BuildV2(IEnumerable<JsonNode> crds)
    {
        var definitions = new JsonObject();
        var paths = new JsonObject();
        foreach (var info in crds.SelectMany(CrdVersionInfo.From).OrderBy(i => DefinitionName(i.Group, i.Version, i.Kind), StringComparer.Ordinal))
        {
            definitions[DefinitionName(info.Group, info.Version, info.Kind)] = KindSchema(info, v3: false);
            definitions[DefinitionName(info.Group, info.Version, info.ListKind)] = ListSchema(info, v3: false);
            foreach (var (path, item) in OpenApiPaths.For(info, v3: false, DefinitionName(info.Group, info.Version, info.Kind), DefinitionName(info.Group, info.Version, info.ListKind)))
            {
                paths[path] = item;
            }
        }

        foreach (var (name, schema) in MetaSchemas.All(V2Prefix, v3: false))
        {
            definitions[name] = schema;
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v0.1.0" },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    /// <summary>GET /openapi/v3: the group versions, hashed by the group/version name (prefer the overload with documents).</summary>
    public static JsonObject BuildV3Root(IEnumerable<(string group, string version)> groupVersions) =>
        BuildRoot(groupVersions.Select(gv => (gv.group, gv.version, Hash(Encoding.UTF8.GetBytes(gv.group + "/" + gv.version)))));

    /// <summary>
    /// GET /openapi/v3 with each group version's document, so the hash in serverRelativeURL changes whenever the
    /// document does (kubectl caches documents by that URL).
    /// </summary>
    public static JsonObject BuildV3Root(IEnumerable<(string group, string version, JsonObject document)> documents) =>
        BuildRoot(documents.Select(d => (d.group, d.version, Hash(d.document))));

    /// <summary>GET /openapi/v3/apis/{group}/{version}: the schemas and paths of the CRDs serving that version.</summary>
    public static JsonObject BuildV3GroupVersion(string group, string version, IEnumerable<JsonNode> crds)
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var info in crds.SelectMany(CrdVersionInfo.From).Where(i => i.Group == group && i.Version == version).OrderBy(i => i.Kind, StringComparer.Ordinal))
        {
            schemas[DefinitionName(info.Group, info.Version, info.Kind)] = KindSchema(info, v3: true);
            schemas[DefinitionName(info.Group, info.Version, info.ListKind)] = ListSchema(info, v3: true);
            foreach (var (path, item) in OpenApiPaths.For(info, v3: true, DefinitionName(info.Group, info.Version, info.Kind), DefinitionName(info.Group, info.Version, info.ListKind)))
            {
                paths[path] = item;
            }
        }

        foreach (var (name, schema) in MetaSchemas.All(V3Prefix, v3: true))
        {
            schemas[name] = schema;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>The path of a group version under /openapi/v3 ("apis/openkbs.com/v1alpha1", "api/v1" for the core group).</summary>
    public static string GroupVersionPath(string group, string version) => string.IsNullOrEmpty(group) ? "api/" + version : "apis/" + group + "/" + version;

    /// <summary>The hash kube-apiserver puts in serverRelativeURL and the ETag: upper-case hex SHA-512 of the document.</summary>
    public static string Hash(JsonObject document) => Hash(Encoding.UTF8.GetBytes(document.ToJsonString()));

    /// <summary>The definition name of a kind: the group reversed ("openkbs.com/v1alpha1", "Project" → "com.openkbs.v1alpha1.Project").</summary>
    public static string DefinitionName(string group, string version, string kind)
    {
        var reversed = string.Join('.', group.Split('.').Reverse());
        return string.IsNullOrEmpty(group) ? $"io.k8s.api.core.{version}.{kind}" : $"{reversed}.{version}.{kind}";
    }

    private static JsonObject BuildRoot(IEnumerable<(string group, string version, string hash)> entries)
    {
        var paths = new JsonObject();
        foreach (var (group, version, hash) in entries.OrderBy(e => GroupVersionPath(e.group, e.version), StringComparer.Ordinal))
        {
            var path = GroupVersionPath(group, version);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA512.HashData(bytes));

    private static JsonObject KindSchema(CrdVersionInfo info, bool v3)
    {
        var refPrefix = v3 ? V3Prefix : V2Prefix;
        JsonObject schema;
        if (info.Schema is null || (!v3 && IsTrue(info.Schema["x-kubernetes-preserve-unknown-fields"])))
        {
            schema = new JsonObject { ["type"] = "object" };
        }
        else
        {
            schema = (JsonObject)info.Schema.DeepClone();
            if (!v3)
            {
                schema = (JsonObject)ToV2(schema)!;
            }

            var properties = schema["properties"] as JsonObject ?? [];
            schema["properties"] = properties;
            properties["apiVersion"] = new JsonObject { ["description"] = ApiVersionDescription, ["type"] = "string" };
            properties["kind"] = new JsonObject { ["description"] = KindDescription, ["type"] = "string" };
            properties["metadata"] = MetadataRef(refPrefix + MetaSchemas.ObjectMeta, MetadataDescription, v3);
            AddEmbeddedResourceProperties(schema, refPrefix, v3, isRoot: true);
            schema["type"] ??= "object";
        }

        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(info.Group, info.Version, info.Kind));
        return schema;
    }

    private static JsonObject ListSchema(CrdVersionInfo info, bool v3)
    {
        var refPrefix = v3 ? V3Prefix : V2Prefix;
        return new JsonObject
        {
            ["description"] = $"{info.ListKind} is a list of {info.Kind}",
            ["type"] = "object",
            ["required"] = new JsonArray("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["description"] = ApiVersionDescription, ["type"] = "string" },
                ["items"] = new JsonObject
                {
                    ["description"] = $"List of {info.Plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md",
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["$ref"] = refPrefix + DefinitionName(info.Group, info.Version, info.Kind) },
                },
                ["kind"] = new JsonObject { ["description"] = KindDescription, ["type"] = "string" },
                ["metadata"] = MetadataRef(refPrefix + MetaSchemas.ListMeta, ListMetadataDescription, v3),
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(info.Group, info.Version, info.ListKind)),
        };
    }

    private static JsonObject MetadataRef(string reference, string description, bool v3) => v3
        ? new JsonObject { ["description"] = description, ["default"] = new JsonObject(), ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = reference }) }
        : new JsonObject { ["description"] = description, ["$ref"] = reference };

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    /// <summary>Embedded resources get apiVersion, kind and an ObjectMeta reference, like the resource root.</summary>
    private static void AddEmbeddedResourceProperties(JsonNode? node, string refPrefix, bool v3, bool isRoot)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        if (obj["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties.ToList())
            {
                AddEmbeddedResourceProperties(child, refPrefix, v3, isRoot: false);
            }
        }

        AddEmbeddedResourceProperties(obj["items"], refPrefix, v3, isRoot: false);
        AddEmbeddedResourceProperties(obj["additionalProperties"], refPrefix, v3, isRoot: false);
        if (isRoot || !IsTrue(obj["x-kubernetes-embedded-resource"]) || (!v3 && IsTrue(obj["x-kubernetes-preserve-unknown-fields"])))
        {
            return;
        }

        var props = obj["properties"] as JsonObject ?? [];
        obj["properties"] = props;
        props["apiVersion"] = new JsonObject { ["description"] = "apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", ["type"] = "string" };
        props["kind"] = new JsonObject { ["description"] = "kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", ["type"] = "string" };
        props["metadata"] = MetadataRef(refPrefix + MetaSchemas.ObjectMeta, MetadataDescription, v3);
        var required = obj["required"] as JsonArray ?? [];
        obj["required"] = required;
        foreach (var field in new[] { "kind", "apiVersion" })
        {
            if (!required.Any(r => JsonKind.AsString(r) == field))
            {
                required.Add(field);
            }
        }
    }

    /// <summary>
    /// OpenAPI v2 publishing (StripValueValidations, StripNullable, ToStructuralOpenAPIV2): no value validations,
    /// no nullable, no properties or items under x-kubernetes-preserve-unknown-fields, no properties next to an
    /// object-typed additionalProperties, untyped arrays without items.
    /// </summary>
    private static JsonNode? ToV2(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return node;
        }

        foreach (var keyword in ValueValidationKeywords)
        {
            obj.Remove(keyword);
        }

        obj.Remove("nullable");
        if (IsTrue(obj["x-kubernetes-preserve-unknown-fields"]))
        {
            obj.Remove("items");
            obj.Remove("properties");
        }

        if (obj["properties"] is JsonObject properties)
        {
            foreach (var (key, child) in properties.ToList())
            {
                properties[key] = ToV2(child?.DeepClone());
            }
        }

        if (obj["items"] is JsonObject items)
        {
            obj["items"] = ToV2(items.DeepClone());
        }

        if (obj["additionalProperties"] is JsonObject additional)
        {
            obj["additionalProperties"] = ToV2(additional.DeepClone());
            if (JsonKind.AsString(additional["type"]) == "object")
            {
                obj.Remove("properties");
            }
        }

        if (JsonKind.AsString(obj["type"]) == "array" && obj["items"] is null)
        {
            obj.Remove("type");
        }

        return obj;
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    internal static string OperationGroup(string group) => string.Concat(group.Split('.').Select(Title));

    internal static string Title(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..];
}
