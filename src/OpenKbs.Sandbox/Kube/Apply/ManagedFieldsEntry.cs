using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>One metadata.managedFields entry.</summary>
internal sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public required string ApiVersion { get; init; }

    public string? Subresource { get; init; }

    public string? Time { get; set; }

    public required FieldSet Fields { get; init; }

    public bool Matches(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? string.Empty) == (subresource ?? string.Empty);

    public static List<ManagedFieldsEntry> Parse(JsonNode? managedFields)
    {
        var list = new List<ManagedFieldsEntry>();
        foreach (var e in (managedFields as JsonArray ?? []).OfType<JsonObject>())
        {
            list.Add(new ManagedFieldsEntry
            {
                Manager = KubeJson.GetString(e, "manager") ?? string.Empty,
                Operation = KubeJson.GetString(e, "operation") ?? "Update",
                ApiVersion = KubeJson.GetString(e, "apiVersion") ?? string.Empty,
                Subresource = KubeJson.GetString(e, "subresource"),
                Time = KubeJson.GetString(e, "time"),
                Fields = FieldSet.FromJson(e["fieldsV1"]),
            });
        }

        return list;
    }

    public static JsonArray Write(IEnumerable<ManagedFieldsEntry> entries)
    {
        var array = new JsonArray();
        foreach (var e in entries)
        {
            if (e.Fields.IsEmpty)
            {
                continue;
            }

            var o = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
            };
            if (e.Time is not null)
            {
                o["time"] = e.Time;
            }

            o["fieldsType"] = "FieldsV1";
            o["fieldsV1"] = e.Fields.ToJson();
            if (!string.IsNullOrEmpty(e.Subresource))
            {
                o["subresource"] = e.Subresource;
            }

            array.Add(o);
        }

        return array;
    }
}
