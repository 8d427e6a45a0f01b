using System.Text.Json;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Controllers.AccountTransfers.Inventory;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// The transfer's ConfigMap <c>&lt;name&gt;-handover</c> (owned by the AccountTransfer): the inventory taken at preflight, the one
/// taken after the removal, and the report's summary with its hashes and where the report lies. Never a secret.
/// </summary>
internal static class HandOverStore
{
    public const string BeforeKey = "inventory-before.json";
    public const string AfterKey = "inventory-after.json";
    public const string SummaryKey = "summary.md";
    public const string JsonSha256Key = "report.json.sha256";
    public const string MarkdownSha256Key = "report.md.sha256";
    public const string LocationKey = "report.location";
    public const string ReportJsonKey = "report.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string NameOf(string transfer) => transfer.Length <= 244 ? transfer + "-handover" : transfer[..244] + "-handover";

    public static string Serialize(AccountInventory inventory) => JsonSerializer.Serialize(inventory, Json);

    /// <summary>An inventory kept in the ConfigMap, or null.</summary>
    public static async Task<AccountInventory?> ReadAsync(TransferPass pass, string key, CancellationToken cancellationToken)
    {
        var map = await pass.Caches.ConfigMaps.GetAsync(pass.Namespace, NameOf(pass.Name), cancellationToken);
        return map?.Data?.TryGetValue(key, out var text) == true ? JsonSerializer.Deserialize<AccountInventory>(text, Json) : null;
    }

    /// <summary>Creates or updates the ConfigMap with <paramref name="entries"/> (other keys stay).</summary>
    public static async Task WriteAsync(TransferPass pass, IReadOnlyDictionary<string, string> entries, CancellationToken cancellationToken)
    {
        var name = NameOf(pass.Name);
        var map = await pass.Caches.ConfigMaps.GetAsync(pass.Namespace, name, cancellationToken) ?? new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = pass.Namespace,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue },
                OwnerReferences = [pass.Owner()],
            },
        };
        map.Data ??= new Dictionary<string, string>();
        foreach (var (key, value) in entries)
        {
            map.Data[key] = value;
        }

        await pass.Caches.ConfigMaps.WriteAsync(map, cancellationToken);
    }
}
