using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// Custom resources (apiextensions' customResourceStrategy): generation starts at 1 and bumps on any non-metadata
/// change, create drops status when the status subresource exists, updates need a resourceVersion, PUT never creates.
/// </summary>
internal sealed class CustomResourceStrategy(IReadOnlyList<(string Label, KubeJsonPath Path)> selectableFields) : ResourceStrategy
{
    public override bool UsesGeneration => true;

    public override bool AllowUnconditionalUpdate => false;

    public override IReadOnlyList<string> FieldLabels { get; } = selectableFields.Select(f => f.Label).ToList();

    public override string? FieldValue(JsonObject obj, string label)
    {
        foreach (var (l, path) in selectableFields)
        {
            if (l == label)
            {
                var value = path.First(obj, out var found);
                return !found || value is null ? null : value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
            }
        }

        return null;
    }

    public override string UnknownFieldLabel(string label) => $"field label not supported: {label}";

    public override void PrepareForCreate(JsonObject obj, ResourceType type)
    {
        if (type.HasStatus)
        {
            obj.Remove("status");
        }
    }
}
