using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Schema.OpenApi;

/// <summary>
/// The REST paths of a CRD version as kube-apiserver documents them (list/create/deletecollection, read/replace/
/// patch/delete, status), with the query parameters and x-kubernetes-action / x-kubernetes-group-version-kind
/// extensions kubectl's query-parameter verifier reads.
/// </summary>
internal static class OpenApiPaths
{
    // No strategic merge patch: custom resources do not support it (415), and kubectl reads this list to choose how
    // `kubectl apply` patches (with strategic merge listed it sends one, and every second apply of a CR fails).
    private static readonly string[] PatchContentTypes = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"];

    private static readonly (string Name, string Type, string Description)[] ListParameters =
    [
        ("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
        ("continue", "string", "The continue option should be set when retrieving more results from the server."),
        ("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
        ("labelSelector", "string", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
        ("limit", "integer", "limit is a maximum number of responses to return for a list call."),
        ("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be served from."),
        ("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list calls."),
        ("sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true`."),
        ("timeoutSeconds", "integer", "Timeout for the list/watch call."),
        ("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
    ];

    private static readonly (string Name, string Type, string Description)[] WriteParameters =
    [
        ("dryRun", "string", "When present, indicates that modifications should not be persisted. Valid value: All."),
        ("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes."),
        ("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict."),
    ];

    private static readonly (string Name, string Type, string Description)[] DeleteParameters =
    [
        ("dryRun", "string", "When present, indicates that modifications should not be persisted. Valid value: All."),
        ("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted."),
        ("orphanDependents", "boolean", "Deprecated: please use the PropagationPolicy."),
        ("propagationPolicy", "string", "Whether and how garbage collection will be performed: Orphan, Background or Foreground."),
    ];

    public static IEnumerable<(string Path, JsonObject Item)> For(CrdVersionInfo info, bool v3, string kindDefinition, string listDefinition)
    {
        var b = new Builder(info, v3, kindDefinition, listDefinition);
        var root = $"/apis/{info.Group}/{info.Version}/{info.Plural}";
        if (info.Namespaced)
        {
            yield return (root, b.Item([b.Operation("get", "list", "list", $"list objects of kind {info.Kind}", "ForAllNamespaces", b.List(), ListParameters, withNamespace: false)], root));
            root = $"/apis/{info.Group}/{info.Version}/namespaces/{{namespace}}/{info.Plural}";
        }

        yield return (root, b.Item(
            [
                b.Operation("get", "list", "list", $"list objects of kind {info.Kind}", "", b.List(), ListParameters),
                b.Operation("post", "post", "create", $"create {Article(info.Kind)}{info.Kind}", "", b.Kind(), WriteParameters, body: b.Kind(), extraResponses: ["201", "202"]),
                b.Operation("delete", "deletecollection", "deletecollection", $"delete collection of {info.Kind}", "", b.Status(), [.. DeleteParameters, .. ListParameters], body: b.DeleteOptions()),
            ],
            root));

        var named = root + "/{name}";
        yield return (named, b.Item(
            [
                b.Operation("get", "get", "read", $"read the specified {info.Kind}", "", b.Kind(), []),
                b.Operation("put", "put", "replace", $"replace the specified {info.Kind}", "", b.Kind(), WriteParameters, body: b.Kind(), extraResponses: ["201"]),
                b.Operation("patch", "patch", "patch", $"partially update the specified {info.Kind}", "", b.Kind(), [.. WriteParameters, ("force", "boolean", "Force is going to \"force\" Apply requests.")], body: b.PatchBody(), patch: true),
                b.Operation("delete", "delete", "delete", $"delete {Article(info.Kind)}{info.Kind}", "", b.Status(), DeleteParameters, body: b.DeleteOptions(), extraResponses: ["202"]),
            ],
            named));

        if (info.HasStatus)
        {
            var status = named + "/status";
            yield return (status, b.Item(
                [
                    b.Operation("get", "get", "read", $"read status of the specified {info.Kind}", "Status", b.Kind(), []),
                    b.Operation("put", "put", "replace", $"replace status of the specified {info.Kind}", "Status", b.Kind(), WriteParameters, body: b.Kind(), extraResponses: ["201"]),
                    b.Operation("patch", "patch", "patch", $"partially update status of the specified {info.Kind}", "Status", b.Kind(), [.. WriteParameters, ("force", "boolean", "Force is going to \"force\" Apply requests.")], body: b.PatchBody(), patch: true),
                ],
                status));
        }
    }

    private static string Article(string kind) => kind.Length > 0 && "AEIOU".Contains(char.ToUpperInvariant(kind[0]), StringComparison.Ordinal) ? "an " : "a ";

    private sealed class Builder(CrdVersionInfo info, bool v3, string kindDefinition, string listDefinition)
    {
        private readonly string _refPrefix = v3 ? "#/components/schemas/" : "#/definitions/";

        public JsonObject Kind() => Ref(kindDefinition);

        public JsonObject List() => Ref(listDefinition);

        public JsonObject Status() => Ref(MetaSchemas.Status);

        public JsonObject DeleteOptions() => Ref(MetaSchemas.DeleteOptions);

        public JsonObject PatchBody() => Ref(MetaSchemas.Patch);

        public (string Method, JsonObject Operation) Operation(
            string method, string action, string verb, string description, string suffix, JsonObject response,
            (string Name, string Type, string Description)[] query, JsonObject? body = null, bool patch = false,
            string[]? extraResponses = null, bool withNamespace = true)
        {
            var namespaced = info.Namespaced && withNamespace ? "Namespaced" : "";
            var operation = new JsonObject
            {
                ["tags"] = new JsonArray(OpenApiBuilder.OperationGroup(info.Group).ToLowerInvariant()[..1] + OpenApiBuilder.OperationGroup(info.Group)[1..] + "_" + info.Version),
                ["description"] = description,
                ["operationId"] = verb + OpenApiBuilder.OperationGroup(info.Group) + OpenApiBuilder.Title(info.Version) + namespaced + info.Kind + suffix,
                ["parameters"] = new JsonArray([.. query.Select(q => (JsonNode?)Parameter(q.Name, "query", q.Type, q.Description, required: false))]),
            };

            if (body is not null)
            {
                if (v3)
                {
                    var content = new JsonObject();
                    foreach (var type in patch ? PatchContentTypes : ["*/*"])
                    {
                        content[type] = new JsonObject { ["schema"] = body.DeepClone() };
                    }

                    operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = method != "delete" };
                }
                else
                {
                    operation["parameters"]!.AsArray().Insert(0, new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = method != "delete", ["schema"] = body.DeepClone() });
                    operation["consumes"] = new JsonArray([.. (patch ? PatchContentTypes : ["*/*"]).Select(t => (JsonNode?)JsonValue.Create(t))]);
                }
            }

            if (!v3)
            {
                operation["produces"] = new JsonArray("application/json", "application/yaml");
                operation["schemes"] = new JsonArray("https");
            }

            var responses = new JsonObject { ["200"] = Response("OK", response) };
            foreach (var code in extraResponses ?? [])
            {
                responses[code] = Response(code == "201" ? "Created" : "Accepted", response);
            }

            responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
            operation["responses"] = responses;
            operation["x-kubernetes-action"] = action;
            operation["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = info.Group, ["kind"] = info.Kind, ["version"] = info.Version };
            return (method, operation);
        }

        public JsonObject Item((string Method, JsonObject Operation)[] operations, string path)
        {
            var item = new JsonObject();
            foreach (var (method, operation) in operations)
            {
                item[method] = operation;
            }

            var parameters = new JsonArray();
            if (path.Contains("{name}", StringComparison.Ordinal))
            {
                parameters.Add(Parameter("name", "path", "string", $"name of the {info.Kind}", required: true));
            }

            if (path.Contains("{namespace}", StringComparison.Ordinal))
            {
                parameters.Add(Parameter("namespace", "path", "string", "object name and auth scope, such as for teams and projects", required: true));
            }

            parameters.Add(Parameter("pretty", "query", "string", "If 'true', then the output is pretty printed.", required: false));
            item["parameters"] = parameters;
            return item;
        }

        private JsonObject Ref(string definition) => new() { ["$ref"] = _refPrefix + definition };

        private JsonObject Response(string description, JsonObject schema)
        {
            if (!v3)
            {
                return new JsonObject { ["description"] = description, ["schema"] = schema.DeepClone() };
            }

            var content = new JsonObject();
            foreach (var type in new[] { "application/json", "application/yaml" })
            {
                content[type] = new JsonObject { ["schema"] = schema.DeepClone() };
            }

            return new JsonObject { ["description"] = description, ["content"] = content };
        }

        private JsonObject Parameter(string name, string @in, string type, string description, bool required)
        {
            var parameter = new JsonObject { ["name"] = name, ["in"] = @in, ["description"] = description };
            if (required)
            {
                parameter["required"] = true;
            }

            if (v3)
            {
                parameter["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true };
            }
            else
            {
                parameter["type"] = type;
                parameter["uniqueItems"] = true;
            }

            return parameter;
        }
    }
}
