using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// Per-kind behaviour, after the generic registry strategies of the API server: create/update preparation,
/// validation, selectable fields, whether updates need a resourceVersion, whether PUT may create.
/// </summary>
internal class ResourceStrategy
{
    public static readonly ResourceStrategy Default = new();

    /// <summary>Whether metadata.generation is maintained (set to 1 on create, bumped on non-metadata changes).</summary>
    public virtual bool UsesGeneration => false;

    public virtual bool AllowUnconditionalUpdate => true;

    public virtual bool AllowCreateOnUpdate => false;

    public virtual NameRule NameRule => NameRule.Subdomain;

    /// <summary>Field selector labels besides metadata.name and metadata.namespace.</summary>
    public virtual IReadOnlyList<string> FieldLabels => [];

    public virtual string? FieldValue(JsonObject obj, string label)
    {
        JsonNode? node = obj;
        foreach (var part in label.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => null,
        };
    }

    public virtual string UnknownFieldLabel(string label) =>
        $"\"{label}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";

    /// <summary>Clears or fills fields on create (e.g. status of custom resources with a status subresource).</summary>
    public virtual void PrepareForCreate(JsonObject obj, ResourceType type)
    {
    }

    /// <summary>Prepares a main-resource update (not /status): e.g. keeps the old status when a status subresource exists.</summary>
    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceType type)
    {
        if (type.HasStatus)
        {
            if (old["status"] is { } status)
            {
                obj["status"] = status.DeepClone();
            }
            else
            {
                obj.Remove("status");
            }
        }
    }

    /// <summary>Prepares a /status update: everything but status comes from the old object.</summary>
    public virtual JsonObject PrepareForStatusUpdate(JsonObject obj, JsonObject old, ResourceType type)
    {
        var result = (JsonObject)old.DeepClone();
        if (obj["status"] is { } status)
        {
            result["status"] = status.DeepClone();
        }
        else
        {
            result.Remove("status");
        }

        if (KubeJson.Metadata(obj)["managedFields"] is { } managed)
        {
            KubeJson.Metadata(result)["managedFields"] = managed.DeepClone();
        }

        return result;
    }

    /// <summary>Kind-specific validation; metadata and schema validation happen elsewhere.</summary>
    public virtual void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
    {
    }

    /// <summary>Whether a non-metadata change happened (bumps generation for kinds that use it).</summary>
    public static bool SpecChanged(JsonObject obj, JsonObject old)
    {
        foreach (var (key, value) in obj)
        {
            if (key is "metadata")
            {
                continue;
            }

            if (!JsonNode.DeepEquals(value, old[key]))
            {
                return true;
            }
        }

        foreach (var (key, _) in old)
        {
            if (key is not "metadata" && !obj.ContainsKey(key))
            {
                return true;
            }
        }

        return false;
    }
}
