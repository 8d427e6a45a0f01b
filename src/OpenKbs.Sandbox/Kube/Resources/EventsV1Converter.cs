using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>events.k8s.io/v1 Event &lt;-&gt; core v1 Event, field by field as Kubernetes' conversion functions do.</summary>
internal sealed class EventsV1Converter : IVersionConverter
{
    private static readonly (string Core, string V1)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
        ("reportingComponent", "reportingController"),
    ];

    public JsonObject ToStorage(JsonObject obj)
    {
        obj["apiVersion"] = "v1";
        foreach (var (core, v1) in Renames)
        {
            Move(obj, v1, core);
        }

        return obj;
    }

    public JsonObject FromStorage(JsonObject obj)
    {
        obj["apiVersion"] = "events.k8s.io/v1";
        foreach (var (core, v1) in Renames)
        {
            Move(obj, core, v1);
        }

        return obj;
    }

    public string FieldLabelToStorage(string label)
    {
        foreach (var (core, v1) in Renames)
        {
            if (label == v1)
            {
                return core;
            }

            if (label.StartsWith(v1 + ".", StringComparison.Ordinal))
            {
                return core + label[v1.Length..];
            }
        }

        return label;
    }

    private static void Move(JsonObject obj, string from, string to)
    {
        if (obj.TryGetPropertyValue(from, out var value))
        {
            obj.Remove(from);
            obj[to] = value;
        }
    }
}
