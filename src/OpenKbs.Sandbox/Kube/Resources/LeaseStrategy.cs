using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>coordination.k8s.io/v1 Leases: generic behaviour; the table shows the holder.</summary>
internal sealed class LeaseStrategy : ResourceStrategy
{
    public static TableConverter CreateTable() => new BuiltInTable(
        BuiltInTable.NameColumn,
        ("Holder", "string", "The holder of the lease", 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "spec", "holderIdentity") ?? string.Empty)),
        BuiltInTable.AgeColumn);
}
