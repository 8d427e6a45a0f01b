using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Engine;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>Builds meta.k8s.io Table and PartialObjectMetadata responses (includeObject=Metadata|Object|None).</summary>
internal static class TableWriter
{
    public static string IncludeObject(string? value) => value switch
    {
        null or "" or "Metadata" => "Metadata",
        "Object" or "None" => value,
        _ => throw ApiException.BadRequest($"Unable to convert to Table as requested: includeObject: Unsupported value: \"{value}\": supported values: \"None\", \"Object\", \"Metadata\""),
    };

    public static JsonObject Table(ResourceType type, IEnumerable<JsonObject> objects, string metaVersion, string includeObject, bool headers, DateTimeOffset now, JsonObject listMeta)
    {
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = type.Table.Cells(obj, now) };
            switch (includeObject)
            {
                case "Object":
                    row["object"] = obj;
                    break;
                case "Metadata":
                    row["object"] = PartialObjectMetadata(obj, metaVersion);
                    break;
            }

            rows.Add(row);
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
            ["metadata"] = listMeta,
        };
        if (headers)
        {
            table["columnDefinitions"] = type.Table.ColumnDefinitions();
        }

        table["rows"] = rows;
        return table;
    }

    public static JsonObject PartialObjectMetadata(JsonObject obj, string metaVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    public static JsonObject ListMeta(long rv, string? continueToken, long? remaining)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (!string.IsNullOrEmpty(continueToken))
        {
            meta["continue"] = continueToken;
        }

        if (remaining is not null)
        {
            meta["remainingItemCount"] = remaining.Value;
        }

        return meta;
    }

    public static JsonObject Served(ResourceType type, StoredObject stored) => ApiEngine.ToServed(type, KubeJson.ParseObject(stored.Json));
}
