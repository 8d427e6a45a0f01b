using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// Core v1 Events (also served as events.k8s.io/v1 through a converter): PUT may create, field selectors on
/// involvedObject.*, reason, reportingComponent, source and type.
/// </summary>
internal sealed class EventStrategy : ResourceStrategy
{
    public override bool AllowCreateOnUpdate => true;

    public override IReadOnlyList<string> FieldLabels { get; } =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ];

    public override string? FieldValue(JsonObject obj, string label) => label switch
    {
        "source" => KubeJson.GetString(obj, "source", "component") ?? string.Empty,
        _ => base.FieldValue(obj, label) ?? string.Empty,
    };

    public override string UnknownFieldLabel(string label) => $"field label not supported: {label}";

    public static TableConverter CreateTable() => new BuiltInTable(
        ("Last Seen", "string", "Time when last event occurred", 0, LastSeen),
        ("Type", "string", "Type of event", 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "type") ?? string.Empty)),
        ("Reason", "string", "Reason of event", 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "reason") ?? string.Empty)),
        ("Object", "string", "Object this event is about", 0, (o, _) => JsonValue.Create(ObjectName(o))),
        ("Message", "string", "Message of event", 0, (o, _) => JsonValue.Create((KubeJson.GetString(o, "message") ?? string.Empty).Trim())));

    private static JsonNode? LastSeen(JsonObject o, DateTimeOffset now)
    {
        var last = KubeJson.GetString(o, "lastTimestamp") ?? KubeJson.GetString(o, "series", "lastObservedTime") ?? KubeJson.GetString(o, "eventTime")
            ?? KubeJson.GetString(o, "metadata", "creationTimestamp");
        return BuiltInTable.Since(last, now);
    }

    private static string ObjectName(JsonObject o)
    {
        var involved = o["involvedObject"] as JsonObject;
        var kind = KubeJson.GetString(involved, "kind") ?? string.Empty;
        var name = KubeJson.GetString(involved, "name") ?? string.Empty;
        return $"{kind.ToLowerInvariant()}/{name}";
    }
}
