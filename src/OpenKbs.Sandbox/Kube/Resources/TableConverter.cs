using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>Builds the meta.k8s.io/v1 Table columns and row cells of a kind (what `kubectl get` prints).</summary>
internal abstract class TableConverter
{
    public const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public const string CreationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public abstract IReadOnlyList<PrinterColumn> Columns { get; }

    public abstract JsonArray Cells(JsonObject obj, DateTimeOffset now);

    public JsonArray ColumnDefinitions()
    {
        var defs = new JsonArray();
        foreach (var c in Columns)
        {
            defs.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        return defs;
    }
}
