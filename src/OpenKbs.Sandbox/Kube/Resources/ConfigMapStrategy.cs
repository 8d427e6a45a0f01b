using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>ConfigMaps: generic behaviour; the table counts data plus binaryData entries.</summary>
internal sealed class ConfigMapStrategy : ResourceStrategy
{
    public static TableConverter CreateTable() => new BuiltInTable(
        BuiltInTable.NameColumn,
        ("Data", "string", "The number of entries in the configmap", 0, (o, _) => JsonValue.Create((long)(((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)))),
        BuiltInTable.AgeColumn);
}
