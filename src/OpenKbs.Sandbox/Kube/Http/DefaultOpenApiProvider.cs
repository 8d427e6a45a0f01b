using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>
/// OpenAPI documents good enough for kubectl: per group/version paths whose operations carry
/// x-kubernetes-group-version-kind and the fieldValidation parameter (so kubectl uses server-side field validation),
/// patch content types (no strategic merge, so kubectl computes merge patches for custom resources and falls back to its
/// compiled-in types for core kinds), and component schemas with the GVK extension for `kubectl explain`:
/// CRD schemas verbatim (metadata as ObjectMeta), core kinds with their main fields.
/// </summary>
internal sealed class DefaultOpenApiProvider : IOpenApiProvider
{
    private const string ObjectMetaRef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    public JsonObject BuildV2(IReadOnlyCollection<ResourceType> types, IReadOnlyList<JsonObject> crds)
    {
        var definitions = new JsonObject();
        foreach (var t in types.Where(t => t.Converter is null || t.IsCustom))
        {
            var schema = KindSchema(t, "#/definitions/");
            definitions[SchemaName(t)] = schema;
        }

        definitions[ObjectMetaRef] = ObjectMeta();
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = new JsonObject(),
            ["definitions"] = definitions,
        };
    }

    public JsonObject? BuildV3GroupVersion(string group, string version, IReadOnlyCollection<ResourceType> types, IReadOnlyList<JsonObject> crds)
    {
        var selected = types.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (selected.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in selected)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var scope = t.Namespaced ? "/namespaces/{namespace}" : string.Empty;
            var collection = $"{prefix}{scope}/{t.Plural}";
            var item = $"{collection}/{{name}}";
            var schemaName = SchemaName(t);
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            var objectRef = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" };

            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", t, gvk, objectRef, []),
                ["post"] = Operation("post", t, gvk, objectRef, ["dryRun", "fieldManager", "fieldValidation"], body: true),
                ["delete"] = Operation("deletecollection", t, gvk, objectRef, ["dryRun"]),
                ["parameters"] = PathParameters(t.Namespaced, false),
            };
            paths[item] = new JsonObject
            {
                ["get"] = Operation("get", t, gvk, objectRef, []),
                ["put"] = Operation("put", t, gvk, objectRef, ["dryRun", "fieldManager", "fieldValidation"], body: true),
                ["patch"] = Operation("patch", t, gvk, objectRef, ["dryRun", "fieldManager", "fieldValidation", "force"], patch: true),
                ["delete"] = Operation("delete", t, gvk, objectRef, ["dryRun"]),
                ["parameters"] = PathParameters(t.Namespaced, true),
            };
            if (t.HasStatus)
            {
                paths[$"{item}/status"] = new JsonObject
                {
                    ["get"] = Operation("get", t, gvk, objectRef, []),
                    ["put"] = Operation("put", t, gvk, objectRef, ["dryRun", "fieldManager", "fieldValidation"], body: true),
                    ["patch"] = Operation("patch", t, gvk, objectRef, ["dryRun", "fieldManager", "fieldValidation", "force"], patch: true),
                    ["parameters"] = PathParameters(t.Namespaced, true),
                };
            }

            schemas[schemaName] = KindSchema(t, "#/components/schemas/");
            schemas[schemaName + "List"] = new JsonObject
            {
                ["description"] = $"{t.ListKind} is a list of {t.Kind}",
                ["type"] = "object",
                ["required"] = new JsonArray("items"),
                ["properties"] = new JsonObject
                {
                    ["apiVersion"] = StringProperty("APIVersion defines the versioned schema of this representation of an object."),
                    ["kind"] = StringProperty("Kind is a string value representing the REST resource this object represents."),
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = objectRef.DeepClone() },
                    ["metadata"] = new JsonObject { ["type"] = "object" },
                },
                ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.ListKind }),
            };
        }

        schemas[ObjectMetaRef] = ObjectMeta();
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    public static string SchemaName(ResourceType t)
    {
        if (t.Group.Length == 0)
        {
            return $"io.k8s.api.core.{t.Version}.{t.Kind}";
        }

        if (t.Group.EndsWith(".k8s.io", StringComparison.Ordinal))
        {
            var g = t.Group[..^".k8s.io".Length];
            return t.Group == "apiextensions.k8s.io"
                ? $"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{t.Version}.{t.Kind}"
                : $"io.k8s.api.{g}.{t.Version}.{t.Kind}";
        }

        return $"{string.Join('.', t.Group.Split('.').Reverse())}.{t.Version}.{t.Kind}";
    }

    private static JsonArray PathParameters(bool namespaced, bool named)
    {
        var list = new JsonArray();
        if (named)
        {
            list.Add(new JsonObject { ["name"] = "name", ["in"] = "path", ["description"] = "name of the resource", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }

        if (namespaced)
        {
            list.Add(new JsonObject { ["name"] = "namespace", ["in"] = "path", ["description"] = "object name and auth scope, such as for teams and projects", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }

        return list;
    }

    private static JsonObject Operation(string action, ResourceType t, JsonObject gvk, JsonObject objectRef, string[] query, bool body = false, bool patch = false)
    {
        var parameters = new JsonArray();
        foreach (var q in query)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = q,
                ["in"] = "query",
                ["description"] = q,
                ["schema"] = new JsonObject { ["type"] = q == "force" ? "boolean" : "string", ["uniqueItems"] = true },
            });
        }

        var op = new JsonObject
        {
            ["description"] = $"{action} {t.Kind}",
            ["operationId"] = $"{action}{t.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = objectRef.DeepClone() } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
        if (body)
        {
            op["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = objectRef.DeepClone() } },
                ["required"] = true,
            };
        }

        if (patch)
        {
            var patchSchema = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
            op["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["application/apply-patch+yaml"] = patchSchema.DeepClone(),
                    ["application/json-patch+json"] = patchSchema.DeepClone(),
                    ["application/merge-patch+json"] = patchSchema.DeepClone(),
                },
                ["required"] = true,
            };
        }

        return op;
    }

    private static JsonObject StringProperty(string description) => new() { ["description"] = description, ["type"] = "string" };

    private static JsonObject KindSchema(ResourceType t, string refPrefix)
    {
        JsonObject schema;
        if (t.OpenApiSchema is JsonObject crdSchema)
        {
            schema = (JsonObject)crdSchema.DeepClone();
        }
        else
        {
            schema = BuiltInSchema(t);
        }

        var properties = schema["properties"] as JsonObject ?? new JsonObject();
        schema["properties"] = properties;
        schema["type"] ??= "object";
        properties["apiVersion"] ??= StringProperty("APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources");
        properties["kind"] ??= StringProperty("Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds");
        properties["metadata"] = new JsonObject
        {
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = refPrefix + ObjectMetaRef }),
        };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind });
        return schema;
    }

    private static JsonObject BuiltInSchema(ResourceType t)
    {
        JsonObject MapOfStrings(string d) => new() { ["description"] = d, ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = string.Empty } };
        var props = new JsonObject();
        var description = $"{t.Kind} (served by the OpenKBS sandbox).";
        switch (t.Kind)
        {
            case "ConfigMap":
                description = "ConfigMap holds configuration data for pods to consume.";
                props["data"] = MapOfStrings("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.");
                props["binaryData"] = MapOfStrings("BinaryData contains the binary data (base64).");
                props["immutable"] = new JsonObject { ["description"] = "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.", ["type"] = "boolean" };
                break;
            case "Secret":
                description = "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.";
                props["data"] = MapOfStrings("Data contains the secret data (base64 encoded values).");
                props["stringData"] = MapOfStrings("stringData allows specifying non-binary secret data in string form. It is merged into data on write.");
                props["type"] = StringProperty("Used to facilitate programmatic handling of secret data.");
                props["immutable"] = new JsonObject { ["description"] = "Immutable, if set to true, ensures that data stored in the Secret cannot be updated.", ["type"] = "boolean" };
                break;
            case "Namespace":
                description = "Namespace provides a scope for Names. Use of multiple namespaces is optional.";
                props["spec"] = new JsonObject { ["description"] = "Spec defines the behavior of the Namespace.", ["type"] = "object", ["properties"] = new JsonObject { ["finalizers"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } } };
                props["status"] = new JsonObject { ["description"] = "Status describes the current status of a Namespace.", ["type"] = "object", ["properties"] = new JsonObject { ["phase"] = StringProperty("Phase is the current lifecycle phase of the namespace.") } };
                break;
            case "Lease":
                description = "Lease defines a lease concept.";
                props["spec"] = new JsonObject
                {
                    ["description"] = "spec contains the specification of the Lease.",
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["holderIdentity"] = StringProperty("holderIdentity contains the identity of the holder of a current lease."),
                        ["leaseDurationSeconds"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
                        ["acquireTime"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                        ["renewTime"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                        ["leaseTransitions"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
                    },
                };
                break;
            default:
                return new JsonObject { ["description"] = description, ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true, ["properties"] = props };
        }

        return new JsonObject { ["description"] = description, ["type"] = "object", ["properties"] = props };
    }

    private static JsonObject ObjectMeta()
    {
        JsonObject S(string d) => StringProperty(d);
        return new JsonObject
        {
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["description"] = "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.", ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = string.Empty } },
                ["creationTimestamp"] = new JsonObject { ["description"] = TableConverter.CreationTimestampDescription, ["type"] = "string", ["format"] = "date-time" },
                ["deletionGracePeriodSeconds"] = new JsonObject { ["description"] = "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.", ["type"] = "integer", ["format"] = "int64" },
                ["deletionTimestamp"] = new JsonObject { ["description"] = "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.", ["type"] = "string", ["format"] = "date-time" },
                ["finalizers"] = new JsonObject { ["description"] = "Must be empty before the object is deleted from the registry.", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["default"] = string.Empty }, ["x-kubernetes-list-type"] = "set", ["x-kubernetes-patch-strategy"] = "merge" },
                ["generateName"] = S("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
                ["generation"] = new JsonObject { ["description"] = "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.", ["type"] = "integer", ["format"] = "int64" },
                ["labels"] = new JsonObject { ["description"] = "Map of string keys and values that can be used to organize and categorize (scope and select) objects.", ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = string.Empty } },
                ["managedFields"] = new JsonObject { ["description"] = "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                ["name"] = S(TableConverter.NameDescription),
                ["namespace"] = S("Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation."),
                ["ownerReferences"] = new JsonObject { ["description"] = "List of objects depended by this object.", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true }, ["x-kubernetes-list-map-keys"] = new JsonArray("uid"), ["x-kubernetes-list-type"] = "map", ["x-kubernetes-patch-merge-key"] = "uid", ["x-kubernetes-patch-strategy"] = "merge" },
                ["resourceVersion"] = S("An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed."),
                ["selfLink"] = S("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."),
                ["uid"] = S("UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations."),
            },
        };
    }

    public static string Hash(JsonObject document)
    {
        var bytes = KubeJson.Serialize(document);
        return Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(bytes)).ToUpperInvariant();
    }
}
