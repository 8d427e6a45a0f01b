using OpenKbs.Api.V1Alpha1;
using OpenKbs.EndToEnd.Tests.Support;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// Two clients, each the example tenant (ClientAccount acme + Project shop) in its own namespace and so in its own AWS account;
/// one <c>openkbs run</c> process with a drift check every 5 s. Tests call <see cref="ReadyAsync"/> (which skips while
/// placeholder steps hold the projects back).
/// </summary>
public sealed class TwoTenantsFixture : TenantWorldFixture
{
    /// <summary>The drift check interval of this world (jittered ±10 % by the runtime).</summary>
    public static readonly TimeSpan DriftCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Client A (inspected, drifted and restored).</summary>
    public string A { get; private set; } = string.Empty;

    /// <summary>Client B (redeployed).</summary>
    public string B { get; private set; } = string.Empty;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["OPENKBS_Project__DriftCheckInterval"] = DriftCheckInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Both projects Ready (A's, then B's).</summary>
    public async Task<(Project A, Project B)> ReadyAsync() => (await World.WaitReadyAsync(A), await World.WaitReadyAsync(B));

    private protected override async Task ApplyAsync(TenantWorld world)
    {
        A = await world.NamespaceAsync("client-a");
        B = await world.NamespaceAsync("client-b");
        await world.ApplyAsync(TenantWorld.ExampleTenant(A));
        await world.ApplyAsync(TenantWorld.ExampleTenant(B));
    }
}
