using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// Namespaces: phase Active on create, the `kubernetes` finalizer in spec.finalizers, the
/// kubernetes.io/metadata.name label; updates cannot change status or spec.finalizers (only /finalize can).
/// </summary>
internal sealed class NamespaceStrategy : ResourceStrategy
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    public override NameRule NameRule => NameRule.Label;

    public override IReadOnlyList<string> FieldLabels { get; } = ["status.phase"];

    public override void PrepareForCreate(JsonObject obj, ResourceType type)
    {
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        var finalizers = spec["finalizers"] as JsonArray ?? new JsonArray();
        if (!finalizers.Any(f => f?.GetValue<string>() == "kubernetes"))
        {
            finalizers.Add("kubernetes");
        }

        spec["finalizers"] = finalizers;
        EnsureNameLabel(obj);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceType type)
    {
        obj["status"] = old["status"]?.DeepClone();
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        var oldFinalizers = (old["spec"] as JsonObject)?["finalizers"];
        if (oldFinalizers is null)
        {
            spec.Remove("finalizers");
        }
        else
        {
            spec["finalizers"] = oldFinalizers.DeepClone();
        }

        if (spec.Count == 0)
        {
            obj.Remove("spec");
        }

        EnsureNameLabel(obj);
    }

    /// <summary>The /finalize subresource: only spec.finalizers changes.</summary>
    public static JsonObject PrepareForFinalize(JsonObject obj, JsonObject old)
    {
        var result = (JsonObject)old.DeepClone();
        var newFinalizers = (obj["spec"] as JsonObject)?["finalizers"];
        var spec = result["spec"] as JsonObject ?? new JsonObject();
        result["spec"] = spec;
        spec["finalizers"] = newFinalizers?.DeepClone() ?? new JsonArray();
        return result;
    }

    public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
    {
        if (KubeJson.Metadata(obj)["namespace"] is JsonValue ns && ns.TryGetValue<string>(out var s) && s.Length > 0)
        {
            errors.Add(KubeFieldError.Forbidden("metadata.namespace", "not allowed on this type"));
        }
    }

    private static void EnsureNameLabel(JsonObject obj)
    {
        var meta = KubeJson.Metadata(obj);
        var labels = meta["labels"] as JsonObject ?? new JsonObject();
        meta["labels"] = labels;
        labels[NameLabel] = KubeJson.GetString(meta, "name");
    }

    public static TableConverter CreateTable() => new BuiltInTable(
        BuiltInTable.NameColumn,
        ("Status", "string", "The status of the namespace", 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "status", "phase") ?? string.Empty)),
        BuiltInTable.AgeColumn);
}
