using OpenKbs.Api.V1Alpha1;
using OpenKbs.EndToEnd.Tests.Support;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// Two clients, each the example tenant (ClientAccount acme + Project shop) in its own namespace and so in its own AWS account;
/// one <c>openkbs run</c> process with a drift check every 5 s. Tests call <see cref="ReadyAsync"/> (which skips while
/// placeholder steps hold the projects back).
/// </summary>
public sealed class TwoTenantsFixture : IAsyncLifetime, IDisposable
{
    /// <summary>The drift check interval of this world (jittered ±10 % by the runtime).</summary>
    public static readonly TimeSpan DriftCheckInterval = TimeSpan.FromSeconds(5);

    private readonly CrdSandboxFixture _sandbox = new();
    private TenantWorld? _world;

    internal TenantWorld World => _world ?? throw new InvalidOperationException("not started");

    /// <summary>Client A (inspected, drifted and restored).</summary>
    public string A { get; private set; } = string.Empty;

    /// <summary>Client B (redeployed).</summary>
    public string B { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _world = await TenantWorld.StartAsync(_sandbox, settings: new Dictionary<string, string>
        {
            ["OPENKBS_Project__DriftCheckInterval"] = DriftCheckInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        A = await World.NamespaceAsync("client-a");
        B = await World.NamespaceAsync("client-b");
        await World.ApplyAsync(TenantWorld.ExampleTenant(A));
        await World.ApplyAsync(TenantWorld.ExampleTenant(B));
        World.StartOperator();
    }

    /// <summary>Both projects Ready (A's, then B's).</summary>
    public async Task<(Project A, Project B)> ReadyAsync() => (await World.WaitReadyAsync(A), await World.WaitReadyAsync(B));

    public async Task DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }

        await _sandbox.DisposeAsync();
    }

    public void Dispose() => _sandbox.Dispose();
}
