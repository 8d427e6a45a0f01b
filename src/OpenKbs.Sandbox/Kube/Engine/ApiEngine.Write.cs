using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>Create, update and patch.</summary>
internal sealed partial class ApiEngine
{
    public WriteResult Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        CheckKind(type, body, "create");
        Decode(type, body, options);
        CheckCrdNotTerminating(type);
        var meta = KubeJson.Metadata(body);
        var requestedName = KubeJson.GetString(meta, "name");
        var targetNs = type.Namespaced ? (ns ?? KubeJson.GetString(meta, "namespace") ?? "default") : null;
        if (targetNs is not null)
        {
            CheckNamespaceForCreate(type, targetNs, requestedName ?? KubeJson.GetString(meta, "generateName") ?? string.Empty);
        }

        for (var attempt = 0; ; attempt++)
        {
            var obj = (JsonObject)body.DeepClone();
            PrepareCreate(type, targetNs, obj, options, recordManagedFields: true);
            var storage = ToStorage(type, obj);
            var name = Name(storage);
            if (options.DryRun)
            {
                if (type.Store.Get(type.StorageKey(targetNs, name)) is not null)
                {
                    throw ApiException.AlreadyExists(type.Group, type.Plural, name);
                }

                return new WriteResult(null, ToServed(type, storage), true, false);
            }

            try
            {
                var result = type.Store.Commit(type.StorageKey(targetNs, name), current =>
                    current is null ? Mutation.Put(storage) : throw ApiException.AlreadyExists(type.Group, type.Plural, name));
                return new WriteResult(result.Object, null, true, false);
            }
            catch (ApiException ex) when (ex.Reason == "AlreadyExists" && string.IsNullOrEmpty(requestedName) && attempt < 8)
            {
                // generateName collision: try another suffix, as the API server does.
            }
        }
    }

    public WriteResult Update(ResourceType type, string? ns, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        CheckKind(type, body, "update");
        var meta = KubeJson.Metadata(body);
        var bodyName = KubeJson.GetString(meta, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        meta["name"] = name;
        if (type.Namespaced)
        {
            var bodyNs = KubeJson.GetString(meta, "namespace");
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns;
        }

        Decode(type, body, options);
        var key = type.StorageKey(ns, name);
        return Write(type, key, options, current =>
        {
            if (current is null)
            {
                if (!type.Strategy.AllowCreateOnUpdate || subresource is not null)
                {
                    throw ApiException.NotFound(type.Group, type.Plural, name);
                }

                if (type.Namespaced)
                {
                    CheckNamespaceForCreate(type, ns!, name);
                }

                var created = (JsonObject)body.DeepClone();
                KubeJson.Metadata(created).Remove("resourceVersion");
                return (Mutation.Put(ToStorage(type, PrepareCreate(type, ns, created, options, recordManagedFields: true))), true);
            }

            var old = ToServed(type, Parse(current));
            var obj = (JsonObject)body.DeepClone();
            var rv = KubeJson.GetString(KubeJson.Metadata(obj), "resourceVersion");
            if (string.IsNullOrEmpty(rv))
            {
                if (!type.Strategy.AllowUnconditionalUpdate)
                {
                    throw ApiException.Invalid(type.Group, type.Kind, name, [KubeFieldError.InvalidRaw("metadata.resourceVersion", "0x0", "must be specified for an update")]);
                }
            }
            else if (rv != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw ApiException.ObjectModified(type.Group, type.Plural, name);
            }

            return (PrepareUpdate(type, obj, old, current, subresource, options, recordManagedFields: true), false);
        });
    }

    public WriteResult Patch(ResourceType type, string? ns, string name, string? subresource, string patchType, byte[] patchBody, WriteOptions options)
    {
        var key = type.StorageKey(ns, name);
        JsonNode? patch;
        var isApply = patchType == "application/apply-patch+yaml";
        try
        {
            patch = isApply ? YamlJson.ParseSingle(Encoding.UTF8.GetString(patchBody)) : JsonNode.Parse(patchBody);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            throw ApiException.BadRequest(isApply ? $"error decoding YAML: {ex.Message}" : $"invalid JSON Patch: {ex.Message}");
        }

        if (patchType == "application/strategic-merge-patch+json" && type.IsCustom)
        {
            throw ApiException.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        JsonObject? applied = null;
        if (isApply)
        {
            applied = patch as JsonObject ?? throw ApiException.BadRequest("error decoding YAML: the apply patch must be a YAML object");
            if (string.IsNullOrEmpty(options.FieldManager) || options.FieldManager == "unknown")
            {
                throw ApiException.Invalid(type.Group, type.Kind, name, [KubeFieldError.Required("fieldManager", "is required for apply patch")]);
            }

            var kind = KubeJson.GetString(applied, "kind");
            var apiVersion = KubeJson.GetString(applied, "apiVersion");
            if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
            {
                throw ApiException.BadRequest("error decoding YAML: Object 'Kind' is missing in apply patch");
            }

            CheckKind(type, applied, "apply");
            var appliedMeta = KubeJson.Metadata(applied);
            var appliedName = KubeJson.GetString(appliedMeta, "name");
            if (!string.IsNullOrEmpty(appliedName) && appliedName != name)
            {
                throw ApiException.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({name})");
            }

            appliedMeta["name"] = name;
            if (type.Namespaced)
            {
                appliedMeta["namespace"] = ns;
            }

            appliedMeta.Remove("managedFields");
            Decode(type, applied, options);
        }

        return Write(type, key, options, current =>
        {
            var now = Time.GetUtcNow();
            if (current is null)
            {
                if (!isApply || subresource is not null)
                {
                    throw ApiException.NotFound(type.Group, type.Plural, name);
                }

                CheckCrdNotTerminating(type);
                if (type.Namespaced)
                {
                    CheckNamespaceForCreate(type, ns!, name);
                }

                var createdObj = Apply.FieldManager.Apply(null, applied!, options.FieldManager, options.Force, type.ApiVersion, null, type.OpenApiSchema as JsonObject, type.HasStatus, now);
                KubeJson.Metadata(createdObj).Remove("resourceVersion");
                return (Mutation.Put(ToStorage(type, PrepareCreate(type, ns, createdObj, options, recordManagedFields: false))), true);
            }

            var old = ToServed(type, Parse(current));
            JsonObject patched;
            if (isApply)
            {
                patched = Apply.FieldManager.Apply(old, applied!, options.FieldManager, options.Force, type.ApiVersion, subresource, type.OpenApiSchema as JsonObject, type.HasStatus, now);
            }
            else
            {
                JsonNode? result;
                try
                {
                    result = patchType switch
                    {
                        "application/merge-patch+json" => JsonMergePatch.Apply(old.DeepClone(), patch),
                        "application/json-patch+json" => JsonPatch.Apply(old.DeepClone(), patch),
                        "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(old.DeepClone(), patch),
                        _ => throw ApiException.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
                    };
                }
                catch (FormatException ex)
                {
                    throw ApiException.BadRequest(ex.Message);
                }
                catch (InvalidOperationException ex)
                {
                    throw new ApiException(422, "Invalid", ex.Message, new JsonObject());
                }

                patched = result as JsonObject ?? throw new ApiException(422, "Invalid", "the patch did not produce an object", new JsonObject());
            }

            if (Name(patched) != name)
            {
                throw ApiException.BadRequest($"the name of the object ({Name(patched)}) does not match the name on the URL ({name})");
            }

            patched["apiVersion"] = type.ApiVersion;
            patched["kind"] = type.Kind;
            if (type.Namespaced)
            {
                KubeJson.Metadata(patched)["namespace"] = ns;
            }

            if (!isApply)
            {
                Decode(type, patched, options);
            }

            var rv = KubeJson.GetString(KubeJson.Metadata(patched), "resourceVersion");
            if (!string.IsNullOrEmpty(rv) && rv != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw ApiException.ObjectModified(type.Group, type.Plural, name);
            }

            return (PrepareUpdate(type, patched, old, current, subresource, options, recordManagedFields: !isApply), false);
        });
    }

    /// <summary>Runs a decision against the store (or, for dry runs, against the current object without committing).</summary>
    private WriteResult Write(ResourceType type, string key, WriteOptions options, Func<StoredObject?, (Mutation Mutation, bool Created)> decide)
    {
        if (options.DryRun)
        {
            var current = type.Store.Get(key);
            var (mutation, created) = decide(current);
            return mutation.Kind switch
            {
                MutationKind.Put => new WriteResult(null, ToServed(type, mutation.Object!), created, false),
                MutationKind.Delete => new WriteResult(current, null, false, true),
                _ => new WriteResult(current, null, false, false),
            };
        }

        var createdFlag = false;
        var result = type.Store.Commit(key, current =>
        {
            var (mutation, created) = decide(current);
            createdFlag = created;
            return mutation;
        });
        if (result.Kind == MutationKind.Delete)
        {
            Signal();
        }

        return new WriteResult(result.Object, null, createdFlag, result.Kind == MutationKind.Delete);
    }

    /// <summary>
    /// The update pipeline shared by PUT and PATCH: keep server-managed metadata, let the strategy prepare main/status/finalize
    /// writes, bump generation, validate, skip no-op writes, record managed fields, and delete an object whose last
    /// finalizer was removed while it was being deleted.
    /// </summary>
    private Mutation PrepareUpdate(ResourceType type, JsonObject obj, JsonObject old, StoredObject current, string? subresource, WriteOptions options, bool recordManagedFields)
    {
        var meta = KubeJson.Metadata(obj);
        var oldMeta = KubeJson.Metadata(old);
        if (string.IsNullOrEmpty(KubeJson.GetString(meta, "uid")))
        {
            meta["uid"] = KubeJson.GetString(oldMeta, "uid");
        }

        foreach (var field in new[] { "creationTimestamp", "deletionTimestamp", "generation" })
        {
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }

        if (oldMeta["deletionGracePeriodSeconds"] is { } grace)
        {
            meta["deletionGracePeriodSeconds"] = grace.DeepClone();
        }

        if (type.Namespaced)
        {
            meta["namespace"] = KubeJson.GetString(oldMeta, "namespace");
        }

        meta.Remove("generateName");
        if (oldMeta["generateName"] is { } generateName)
        {
            meta["generateName"] = generateName.DeepClone();
        }

        switch (subresource)
        {
            case null:
                type.Strategy.PrepareForUpdate(obj, old, type);
                break;
            case "status":
                obj = type.Strategy.PrepareForStatusUpdate(obj, old, type);
                meta = KubeJson.Metadata(obj);
                break;
            case "finalize":
                obj = NamespaceStrategy.PrepareForFinalize(obj, old);
                meta = KubeJson.Metadata(obj);
                break;
        }

        if (type.Strategy.UsesGeneration && subresource is null && ResourceStrategy.SpecChanged(obj, old))
        {
            meta["generation"] = (KubeJson.GetLong(oldMeta, "generation") ?? 0) + 1;
        }

        ValidateOrThrow(type, obj, old, subresource);

        if (SameExceptBookkeeping(obj, old))
        {
            return Mutation.None;
        }

        if (recordManagedFields)
        {
            FieldManagerRecord(type, obj, old, options, subresource);
        }

        meta["resourceVersion"] = current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 } && !IsNamespaceWithFinalizers(type, obj))
        {
            return Mutation.Delete();
        }

        return Mutation.Put(ToStorage(type, obj));
    }

    private static bool IsNamespaceWithFinalizers(ResourceType type, JsonObject obj) =>
        type.Group.Length == 0 && type.Plural == "namespaces" && (obj["spec"] as JsonObject)?["finalizers"] is JsonArray { Count: > 0 };

    private static bool SameExceptBookkeeping(JsonObject a, JsonObject b)
    {
        var ca = (JsonObject)a.DeepClone();
        var cb = (JsonObject)b.DeepClone();
        foreach (var o in new[] { ca, cb })
        {
            var m = KubeJson.Metadata(o);
            m.Remove("managedFields");
            m.Remove("resourceVersion");
        }

        return JsonNode.DeepEquals(ca, cb);
    }
}
