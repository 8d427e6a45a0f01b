namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>
/// A class fixture holding one <see cref="TenantWorld"/> on its own sandbox API server: the world starts with
/// <see cref="Settings"/>, <see cref="ApplyAsync"/> creates the namespaces and applies the objects, then the operator
/// starts; disposing stops the operator, the proxy and the sandbox.
/// </summary>
public abstract class TenantWorldFixture : IAsyncLifetime, IDisposable
{
    private readonly CrdSandboxFixture _sandbox = new();
    private TenantWorld? _world;

    internal TenantWorld World => _world ?? throw new InvalidOperationException("not started");

    /// <summary>The operator's settings on top of the fast waits (environment variables).</summary>
    protected abstract IReadOnlyDictionary<string, string> Settings { get; }

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _world = await TenantWorld.StartAsync(_sandbox, settings: Settings);
        await ApplyAsync(World);
        World.StartOperator();
    }

    public async Task DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }

        await _sandbox.DisposeAsync();
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates the namespaces and applies what the tests start from (the operator is not running yet).</summary>
    private protected abstract Task ApplyAsync(TenantWorld world);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sandbox.Dispose();
        }
    }
}
