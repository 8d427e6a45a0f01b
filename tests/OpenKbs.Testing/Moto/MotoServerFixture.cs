using OpenKbs.Sandbox.Aws.Moto;
using Xunit;

namespace OpenKbs.Testing.Moto;

/// <summary>
/// One <c>moto_server</c> per test run, shared by every test class of the assembly through the
/// <see cref="MotoCollection"/> collection (tests of one collection run one after another, so
/// <see cref="ResetAsync"/> between tests is safe). The process starts on first use on a free
/// loopback port and stops when the test process exits.
/// </summary>
/// <remarks>
/// moto keeps state per account id: isolate tests by resetting, or by unique names, or by acting as
/// a fresh account (<see cref="MotoDefaults.AccountIdHeader"/>). A missing moto_server makes
/// <see cref="InitializeAsync"/> fail with a <see cref="MotoNotFoundException"/> saying how to install it.
/// </remarks>
public sealed class MotoServerFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static MotoServer? s_shared;
    private MotoServer? _server;

    /// <summary>The shared server (valid after <see cref="InitializeAsync"/>).</summary>
    public MotoServer Server => _server ?? throw new InvalidOperationException("The moto fixture is not initialized.");

    /// <summary>moto's base URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri Endpoint => Server.Endpoint;

#pragma warning disable CA1822 // Instance members on purpose: tests read them from the fixture they were given.
    /// <summary>Dummy access key id (<see cref="MotoDefaults.AccessKeyId"/>).</summary>
    public string AccessKeyId => MotoDefaults.AccessKeyId;

    /// <summary>Dummy secret (<see cref="MotoDefaults.SecretAccessKey"/>).</summary>
    public string SecretAccessKey => MotoDefaults.SecretAccessKey;

    /// <summary>The default region (<see cref="MotoDefaults.Region"/>).</summary>
    public string Region => MotoDefaults.Region;

    /// <summary>The account the dummy key acts as (<see cref="MotoDefaults.AccountId"/>).</summary>
    public string AccountId => MotoDefaults.AccountId;
#pragma warning restore CA1822

    /// <summary>Starts (or returns) the process-wide moto server.</summary>
    public static async Task<MotoServer> GetSharedServerAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (s_shared is { HasExited: false })
            {
                return s_shared;
            }

            // Disposed at process exit by MotoServer itself.
            s_shared = await MotoLauncher.StartAsync(new MotoServerOptions(), cancellationToken);
            return s_shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task InitializeAsync() => _server = await GetSharedServerAsync();

    /// <summary>Nothing to do: the shared server outlives a collection and stops with the process.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Wipes all of moto's state: <c>POST /moto-api/reset</c>.</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default) => Server.ResetAsync(cancellationToken);

    /// <summary>
    /// Environment for a child process (aws CLI, node SDK, the operator) that should talk to
    /// <paramref name="endpoint"/> (moto itself by default, or a chaos proxy in front of it).
    /// </summary>
    public IReadOnlyDictionary<string, string> AwsEnvironment(Uri? endpoint = null) => AwsCli.Environment(endpoint ?? Endpoint);
}
