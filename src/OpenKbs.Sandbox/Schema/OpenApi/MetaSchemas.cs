using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema.OpenApi;

/// <summary>
/// The meta.k8s.io/v1 definitions kubectl resolves from CRD documents (ObjectMeta, ListMeta, Status, ...), written for
/// either OpenAPI v2 ("#/definitions/") or v3 ("#/components/schemas/") references.
/// </summary>
internal static class MetaSchemas
{
    public const string Prefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string ObjectMeta = Prefix + "ObjectMeta";
    public const string ListMeta = Prefix + "ListMeta";
    public const string Status = Prefix + "Status";
    public const string DeleteOptions = Prefix + "DeleteOptions";
    public const string Patch = Prefix + "Patch";

    public static IEnumerable<KeyValuePair<string, JsonNode?>> All(string refPrefix, bool v3)
    {
        JsonObject Ref(string name) => new() { ["$ref"] = refPrefix + Prefix + name };

        JsonObject RefWith(string name, string description) => v3
            ? new JsonObject { ["description"] = description, ["allOf"] = new JsonArray(Ref(name)) }
            : new JsonObject { ["description"] = description, ["$ref"] = refPrefix + Prefix + name };

        JsonObject Str(string description) => new() { ["type"] = "string", ["description"] = description };

        JsonObject Int(string format, string description) => new() { ["type"] = "integer", ["format"] = format, ["description"] = description };

        JsonObject StringMap(string description) => new() { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" }, ["description"] = description };

        JsonObject Gvk(string kind) => new() { ["group"] = "", ["kind"] = kind, ["version"] = "v1" };

        yield return Entry("ObjectMeta", new JsonObject
        {
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["annotations"] = StringMap("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects."),
                ["creationTimestamp"] = RefWith("Time", "CreationTimestamp is a timestamp representing the server time when this object was created. It is set by the system and read-only. Null for lists."),
                ["deletionGracePeriodSeconds"] = Int("int64", "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. Read-only."),
                ["deletionTimestamp"] = RefWith("Time", "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted, set by the server when a graceful deletion is requested. Read-only."),
                ["finalizers"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" },
                    ["x-kubernetes-list-type"] = "set",
                    ["x-kubernetes-patch-strategy"] = "merge",
                    ["description"] = "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.",
                },
                ["generateName"] = Str("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
                ["generation"] = Int("int64", "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only."),
                ["labels"] = StringMap("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
                ["managedFields"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["default"] = new JsonObject(), ["allOf"] = new JsonArray(Ref("ManagedFieldsEntry")) }.WithV2Ref(v3, refPrefix + Prefix + "ManagedFieldsEntry"),
                    ["x-kubernetes-list-type"] = "atomic",
                    ["description"] = "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping.",
                },
                ["name"] = Str("Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated."),
                ["namespace"] = Str("Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace. Cannot be updated."),
                ["ownerReferences"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["default"] = new JsonObject(), ["allOf"] = new JsonArray(Ref("OwnerReference")) }.WithV2Ref(v3, refPrefix + Prefix + "OwnerReference"),
                    ["x-kubernetes-list-map-keys"] = new JsonArray("uid"),
                    ["x-kubernetes-list-type"] = "map",
                    ["x-kubernetes-patch-merge-key"] = "uid",
                    ["x-kubernetes-patch-strategy"] = "merge",
                    ["description"] = "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.",
                },
                ["resourceVersion"] = Str("An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Read-only."),
                ["selfLink"] = Str("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."),
                ["uid"] = Str("UID is the unique in time and space value for this object. It is generated by the server on successful creation of a resource and is not allowed to change on PUT operations. Read-only."),
            },
        });

        yield return Entry("ListMeta", new JsonObject
        {
            ["description"] = "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["continue"] = Str("continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available."),
                ["remainingItemCount"] = Int("int64", "remainingItemCount is the number of subsequent items in the list which are not included in this list response."),
                ["resourceVersion"] = Str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed. Read-only."),
                ["selfLink"] = Str("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."),
            },
        });

        yield return Entry("ManagedFieldsEntry", new JsonObject
        {
            ["description"] = "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("APIVersion defines the version of this resource that this field set applies to."),
                ["fieldsType"] = Str("FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: \"FieldsV1\""),
                ["fieldsV1"] = RefWith("FieldsV1", "FieldsV1 holds the first JSON version format as described in the \"FieldsV1\" type."),
                ["manager"] = Str("Manager is an identifier of the workflow managing these fields."),
                ["operation"] = Str("Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'."),
                ["subresource"] = Str("Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource."),
                ["time"] = RefWith("Time", "Time is the timestamp of when the ManagedFields entry was added."),
            },
        });

        yield return Entry("OwnerReference", new JsonObject
        {
            ["description"] = "OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.",
            ["type"] = "object",
            ["required"] = new JsonArray("apiVersion", "kind", "name", "uid"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("API version of the referent."),
                ["blockOwnerDeletion"] = new JsonObject { ["type"] = "boolean", ["description"] = "If true, AND if the owner has the \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed." },
                ["controller"] = new JsonObject { ["type"] = "boolean", ["description"] = "If true, this reference points to the managing controller." },
                ["kind"] = Str("Kind of the referent."),
                ["name"] = Str("Name of the referent."),
                ["uid"] = Str("UID of the referent."),
            },
            ["x-kubernetes-map-type"] = "atomic",
        });

        yield return Entry("Time", new JsonObject
        {
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON, as an RFC 3339 date and time.",
            ["type"] = "string",
            ["format"] = "date-time",
        });

        yield return Entry("FieldsV1", new JsonObject
        {
            ["description"] = "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.",
            ["type"] = "object",
        });

        yield return Entry("Status", new JsonObject
        {
            ["description"] = "Status is a return value for calls that don't return other objects.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("APIVersion defines the versioned schema of this representation of an object."),
                ["code"] = Int("int32", "Suggested HTTP return code for this status, 0 if not set."),
                ["details"] = RefWith("StatusDetails", "Extended data associated with the reason. Each reason may define its own extended details."),
                ["kind"] = Str("Kind is a string value representing the REST resource this object represents."),
                ["message"] = Str("A human-readable description of the status of this operation."),
                ["metadata"] = RefWith("ListMeta", "Standard list metadata."),
                ["reason"] = Str("A machine-readable description of why this operation is in the \"Failure\" status."),
                ["status"] = Str("Status of the operation. One of: \"Success\" or \"Failure\"."),
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk("Status")),
        });

        yield return Entry("StatusDetails", new JsonObject
        {
            ["description"] = "StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["causes"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["default"] = new JsonObject(), ["allOf"] = new JsonArray(Ref("StatusCause")) }.WithV2Ref(v3, refPrefix + Prefix + "StatusCause"),
                    ["x-kubernetes-list-type"] = "atomic",
                    ["description"] = "The Causes array includes more details associated with the StatusReason failure.",
                },
                ["group"] = Str("The group attribute of the resource associated with the status StatusReason."),
                ["kind"] = Str("The kind attribute of the resource associated with the status StatusReason."),
                ["name"] = Str("The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described)."),
                ["retryAfterSeconds"] = Int("int32", "If specified, the time in seconds before the operation should be retried."),
                ["uid"] = Str("UID of the resource."),
            },
        });

        yield return Entry("StatusCause", new JsonObject
        {
            ["description"] = "StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["field"] = Str("The field of the resource that has caused this error, as named by its JSON serialization."),
                ["message"] = Str("A human-readable description of the cause of the error."),
                ["reason"] = Str("A machine-readable description of the cause of the error."),
            },
        });

        yield return Entry("DeleteOptions", new JsonObject
        {
            ["description"] = "DeleteOptions may be provided when deleting an API object.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("APIVersion defines the versioned schema of this representation of an object."),
                ["dryRun"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" }, ["x-kubernetes-list-type"] = "atomic", ["description"] = "When present, indicates that modifications should not be persisted. Valid value: All." },
                ["gracePeriodSeconds"] = Int("int64", "The duration in seconds before the object should be deleted."),
                ["kind"] = Str("Kind is a string value representing the REST resource this object represents."),
                ["orphanDependents"] = new JsonObject { ["type"] = "boolean", ["description"] = "Deprecated: please use the PropagationPolicy." },
                ["preconditions"] = RefWith("Preconditions", "Must be fulfilled before a deletion is carried out."),
                ["propagationPolicy"] = Str("Whether and how garbage collection will be performed: Orphan, Background or Foreground."),
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk("DeleteOptions")),
        });

        yield return Entry("Preconditions", new JsonObject
        {
            ["description"] = "Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["resourceVersion"] = Str("Specifies the target ResourceVersion"),
                ["uid"] = Str("Specifies the target UID."),
            },
        });

        yield return Entry("Patch", new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        });
    }

    private static KeyValuePair<string, JsonNode?> Entry(string name, JsonObject schema) => KeyValuePair.Create(Prefix + name, (JsonNode?)schema);

    /// <summary>In v2 a list item is a plain $ref (v2 does not wrap refs in allOf).</summary>
    private static JsonObject WithV2Ref(this JsonObject v3Form, bool v3, string reference) =>
        v3 ? v3Form : new JsonObject { ["$ref"] = reference };
}
