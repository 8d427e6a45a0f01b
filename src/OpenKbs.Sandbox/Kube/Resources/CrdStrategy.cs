using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// apiextensions.k8s.io/v1 CustomResourceDefinitions: defaulting (singular, listKind, conversion), minimal validation
/// (names, group, scope, exactly one storage version, structural schemas), and the status the API server's controllers
/// would set (NamesAccepted, Established, acceptedNames, storedVersions).
/// </summary>
internal sealed class CrdStrategy(ISchemaCompiler compiler, TimeProvider time) : ResourceStrategy
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    public override bool UsesGeneration => true;

    public override bool AllowUnconditionalUpdate => false;

    public override void PrepareForCreate(JsonObject obj, ResourceType type)
    {
        ApplyDefaults(obj);
        var now = KubeJson.Rfc3339(time.GetUtcNow());
        obj["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "True", "NoConflicts", "no conflicts found", now),
                Condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["acceptedNames"] = AcceptedNames(obj),
            ["storedVersions"] = new JsonArray(StorageVersion(obj) is { } sv ? JsonValue.Create(sv) : null),
        };
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceType type)
    {
        base.PrepareForUpdate(obj, old, type);
        ApplyDefaults(obj);
        var status = obj["status"] as JsonObject ?? new JsonObject();
        obj["status"] = status;
        status["acceptedNames"] = AcceptedNames(obj);
        var stored = status["storedVersions"] as JsonArray ?? new JsonArray();
        status["storedVersions"] = stored;
        if (StorageVersion(obj) is { } sv && !stored.Any(v => v?.GetValue<string>() == sv))
        {
            stored.Add(sv);
        }
    }

    public static JsonObject Condition(string type, string status, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    public static string? StorageVersion(JsonObject crd)
    {
        if ((crd["spec"] as JsonObject)?["versions"] is JsonArray versions)
        {
            foreach (var v in versions.OfType<JsonObject>())
            {
                if (v["storage"] is JsonValue s && s.TryGetValue<bool>(out var isStorage) && isStorage)
                {
                    return KubeJson.GetString(v, "name");
                }
            }
        }

        return null;
    }

    private static void ApplyDefaults(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            return;
        }

        if (spec["names"] is JsonObject names && KubeJson.GetString(names, "kind") is { Length: > 0 } kind)
        {
            if (string.IsNullOrEmpty(KubeJson.GetString(names, "singular")))
            {
                names["singular"] = kind.ToLowerInvariant();
            }

            if (string.IsNullOrEmpty(KubeJson.GetString(names, "listKind")))
            {
                names["listKind"] = kind + "List";
            }
        }

        if (spec["conversion"] is null)
        {
            spec["conversion"] = new JsonObject { ["strategy"] = "None" };
        }
    }

    private static JsonObject AcceptedNames(JsonObject obj)
    {
        var names = (obj["spec"] as JsonObject)?["names"] as JsonObject;
        var accepted = new JsonObject();
        foreach (var key in new[] { "plural", "singular", "shortNames", "kind", "listKind", "categories" })
        {
            if (names?[key] is { } value)
            {
                accepted[key] = value.DeepClone();
            }
        }

        return accepted;
    }

    public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        var name = KubeJson.GetString(obj, "metadata", "name") ?? string.Empty;
        var group = KubeJson.GetString(spec, "group") ?? string.Empty;
        var names = spec?["names"] as JsonObject;
        var plural = KubeJson.GetString(names, "plural") ?? string.Empty;
        var kind = KubeJson.GetString(names, "kind") ?? string.Empty;
        if (name != $"{plural}.{group}")
        {
            errors.Add(KubeFieldError.Invalid("metadata.name", JsonValue.Create(name), "must be spec.names.plural+\".\"+spec.group"));
        }

        if (group.Length == 0)
        {
            errors.Add(KubeFieldError.Required("spec.group", string.Empty));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(KubeFieldError.Invalid("spec.group", JsonValue.Create(group), "should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            errors.Add(KubeFieldError.Required("spec.names.plural", string.Empty));
        }

        if (kind.Length == 0)
        {
            errors.Add(KubeFieldError.Required("spec.names.kind", string.Empty));
        }

        var scope = KubeJson.GetString(spec, "scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(KubeFieldError.NotSupported("spec.scope", scope is null ? null : JsonValue.Create(scope), ["Cluster", "Namespaced"]));
        }

        var versions = spec?["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            errors.Add(KubeFieldError.Invalid("spec.versions", null, "must have exactly one version marked as storage version"));
        }
        else
        {
            var storageCount = 0;
            for (var i = 0; i < versions.Count; i++)
            {
                if (versions[i] is not JsonObject v)
                {
                    continue;
                }

                if (v["storage"] is JsonValue s && s.TryGetValue<bool>(out var isStorage) && isStorage)
                {
                    storageCount++;
                }

                if (string.IsNullOrEmpty(KubeJson.GetString(v, "name")))
                {
                    errors.Add(KubeFieldError.Required($"spec.versions[{i}].name", string.Empty));
                }

                var schema = (v["schema"] as JsonObject)?["openAPIV3Schema"];
                if (schema is null)
                {
                    errors.Add(KubeFieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
                    continue;
                }

                try
                {
                    compiler.Compile(obj, KubeJson.GetString(v, "name") ?? string.Empty);
                }
                catch (SchemaCompileException ex)
                {
                    errors.AddRange(ex.Errors);
                }
            }

            if (storageCount != 1)
            {
                errors.Add(KubeFieldError.InvalidRaw("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{...}", "must have exactly one version marked as storage version"));
            }
        }

        if (old is not null)
        {
            var oldSpec = old["spec"] as JsonObject;
            if (KubeJson.GetString(oldSpec, "scope") is { } oldScope && oldScope != scope)
            {
                errors.Add(KubeFieldError.Invalid("spec.scope", scope is null ? null : JsonValue.Create(scope), "field is immutable"));
            }

            if (KubeJson.GetString(oldSpec, "group") is { } oldGroup && oldGroup != group)
            {
                errors.Add(KubeFieldError.Invalid("spec.group", JsonValue.Create(group), "field is immutable"));
            }
        }
    }

    public static TableConverter CreateTable() => new BuiltInTable(
        BuiltInTable.NameColumn,
        ("Created At", "date", TableConverter.CreationTimestampDescription, 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "metadata", "creationTimestamp"))));
}
