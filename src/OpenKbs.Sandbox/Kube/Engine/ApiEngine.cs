using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>
/// The API semantics behind the HTTP surface: get/list, create, update, patch, delete with the rules of the generic
/// registry store (optimistic concurrency, generation, finalizers, status subresource, managed fields, validation).
/// Objects flow through in the served version and are converted to the storage version before they are stored.
/// </summary>
internal sealed partial class ApiEngine
{
    private const string RandomAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public ApiEngine(ResourceRegistry registry, ResourceVersionClock clock, TimeProvider time)
    {
        Registry = registry;
        Clock = clock;
        Time = time;
    }

    public ResourceRegistry Registry { get; }

    public ResourceVersionClock Clock { get; }

    public TimeProvider Time { get; }

    /// <summary>Raised when background work (namespace or CRD cleanup, garbage collection) may have become possible.</summary>
    public event Action? WorkAvailable;

    public void Signal() => WorkAvailable?.Invoke();

    public static JsonObject Parse(StoredObject stored) => KubeJson.ParseObject(stored.Json);

    /// <summary>The object in the served version of <paramref name="type"/>.</summary>
    public static JsonObject ToServed(ResourceType type, JsonObject storage) => type.Converter is null ? storage : type.Converter.FromStorage(storage);

    public static byte[] ServedBytes(ResourceType type, StoredObject stored) =>
        type.Converter is null ? stored.Json : KubeJson.Serialize(type.Converter.FromStorage(Parse(stored)));

    private static JsonObject ToStorage(ResourceType type, JsonObject served) => type.Converter is null ? served : type.Converter.ToStorage(served);

    private string Now() => KubeJson.Rfc3339(Time.GetUtcNow());

    public static StoredObject Get(ResourceType type, string? ns, string name)
    {
        return type.Store.Get(type.StorageKey(ns, name)) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
    }

    private static string GenerateName(string prefix)
    {
        if (prefix.Length > 58)
        {
            prefix = prefix[..58];
        }

        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = RandomAlphabet[RandomNumberGenerator.GetInt32(RandomAlphabet.Length)];
        }

        return prefix + new string(suffix);
    }

    private static void CheckKind(ResourceType type, JsonObject body, string verbPhrase)
    {
        var kind = KubeJson.GetString(body, "kind");
        var apiVersion = KubeJson.GetString(body, "apiVersion");
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the body ({kind}) does not match the expected kind ({type.Kind}) for {verbPhrase}");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }

    private void CheckNamespaceForCreate(ResourceType type, string ns, string name)
    {
        if (!type.Namespaced)
        {
            return;
        }

        var namespaces = Registry.Find(string.Empty, "v1", "namespaces")!.Store;
        var stored = namespaces.Get(ns) ?? throw ApiException.NotFound(string.Empty, "namespaces", ns);
        if (stored.Deleting)
        {
            var details = new JsonObject
            {
                ["name"] = name,
                ["kind"] = type.Plural,
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "NamespaceTerminating",
                    ["message"] = $"namespace {ns} is being terminated",
                    ["field"] = "metadata.namespace",
                }),
            };
            if (type.Group.Length > 0)
            {
                details["group"] = type.Group;
            }

            throw new ApiException(403, "Forbidden", $"{type.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", details);
        }
    }

    private void CheckCrdNotTerminating(ResourceType type)
    {
        if (type.CrdName is null)
        {
            return;
        }

        var crd = Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!.Store.Get(type.CrdName);
        if (crd is not null && crd.Deleting)
        {
            throw new ApiException(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating", new JsonObject());
        }
    }

    /// <summary>
    /// The decode stage: drops unknown fields (answered per fieldValidation: Strict fails with 400, Warn adds warnings)
    /// and applies schema defaults for custom resources.
    /// </summary>
    private static void Decode(ResourceType type, JsonObject obj, WriteOptions options)
    {
        var unknown = new List<string>();
        if (obj["metadata"] is JsonObject meta)
        {
            foreach (var key in meta.Select(kv => kv.Key).ToList())
            {
                if (!MetadataValidation.KnownFields.Contains(key))
                {
                    unknown.Add($"metadata.{key}");
                    meta.Remove(key);
                }
            }
        }

        if (type.Schema is { } schema)
        {
            unknown.AddRange(schema.Prune(obj));
            schema.ApplyDefaults(obj);
        }

        if (unknown.Count == 0 || options.FieldValidation == "Ignore")
        {
            return;
        }

        if (options.FieldValidation == "Strict")
        {
            var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {list}");
        }

        options.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
    }

    private static void ValidateOrThrow(ResourceType type, JsonObject obj, JsonObject? old, string? subresource)
    {
        var errors = new List<KubeFieldError>();
        var meta = KubeJson.Metadata(obj);
        var name = KubeJson.GetString(meta, "name") ?? string.Empty;
        if (type.Schema is { } schema)
        {
            errors.AddRange(schema.Validate(obj, old));
        }
        else
        {
            Func<string, bool, List<string>> nameRule = type.Strategy.NameRule switch
            {
                NameRule.Label => Schema.NameValidation.NameIsDnsLabel,
                NameRule.PathSegment => (_, _) => [],
                _ => Schema.NameValidation.NameIsDnsSubdomain,
            };
            var metaErrors = old is null
                ? Schema.ObjectMetaValidator.ValidateCreate(meta, type.Namespaced, nameRule)
                : Schema.ObjectMetaValidator.ValidateUpdate(meta, KubeJson.Metadata(old));
            if (subresource is null || old is null)
            {
                errors.AddRange(metaErrors.Select(KubeFieldError.From));
            }
        }

        type.Strategy.Validate(obj, old, type, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type.Group, type.Kind, name, errors);
        }
    }

    /// <summary>Server-managed metadata of a new object (uid, creationTimestamp, generation; no deletion fields).</summary>
    private JsonObject PrepareCreate(ResourceType type, string? ns, JsonObject obj, WriteOptions options, bool recordManagedFields)
    {
        var meta = KubeJson.Metadata(obj);
        if (type.Namespaced)
        {
            var bodyNs = KubeJson.GetString(meta, "namespace");
            if (!string.IsNullOrEmpty(bodyNs) && ns is not null && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns ?? bodyNs;
        }
        else
        {
            meta.Remove("namespace");
        }

        var name = KubeJson.GetString(meta, "name");
        var generateName = KubeJson.GetString(meta, "generateName");
        if (string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(generateName))
        {
            meta["name"] = GenerateName(generateName);
        }

        if (!string.IsNullOrEmpty(KubeJson.GetString(meta, "resourceVersion")))
        {
            throw ApiException.Internal("resourceVersion should not be set on objects to be created");
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (type.Strategy.UsesGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        type.Strategy.PrepareForCreate(obj, type);
        ValidateOrThrow(type, obj, null, null);
        if (recordManagedFields)
        {
            FieldManagerRecord(type, obj, null, options, null);
        }

        return obj;
    }

    private void FieldManagerRecord(ResourceType type, JsonObject obj, JsonObject? old, WriteOptions options, string? subresource) =>
        Apply.FieldManager.RecordUpdate(obj, old, options.FieldManager, type.ApiVersion, subresource, type.OpenApiSchema as JsonObject, type.HasStatus, Time.GetUtcNow());

    private static string Name(JsonObject obj) => KubeJson.GetString(obj, "metadata", "name") ?? string.Empty;

    private static long ParseResourceVersion(string value, string what)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
        {
            throw ApiException.BadRequest($"invalid {what}: \"{value}\"");
        }

        return rv;
    }
}
