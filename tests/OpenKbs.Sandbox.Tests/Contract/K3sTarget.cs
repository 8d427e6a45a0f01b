using System.Text;
using k8s;
using OpenKbs.Testing;
using Testcontainers.K3s;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>
/// k3s in a container (Testcontainers.K3s) as a contract target: the reference the sandbox must agree with.
/// Started lazily, and only where a Docker engine is reachable; elsewhere every test skips with the reason.
/// </summary>
public sealed class K3sTarget : IApiTarget, IAsyncLifetime, IDisposable
{
    private K3sContainer? _container;
    private Kubernetes? _client;
    private RawApi? _raw;

    public string Name => "k3s";

    /// <summary>Null when Docker is reachable, else why the k3s tests skip.</summary>
    public static string? UnavailableReason
    {
        get
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock"))
            {
                return null;
            }

            return "no Docker engine (neither DOCKER_HOST nor /var/run/docker.sock): the k3s contract run is skipped; the same suite runs against the sandbox";
        }
    }

    public IKubernetes Client => _client ?? throw new InvalidOperationException("k3s is not started");

    public RawApi Raw => _raw ??= new RawApi(((Kubernetes)Client).HttpClient, ((Kubernetes)Client).BaseUri);

    public bool CanExpireHistory => false;

    public TimeSpan BookmarkWait => TimeSpan.FromSeconds(90);

    public async Task InitializeAsync()
    {
        if (UnavailableReason is not null)
        {
            return;
        }

        _container = new K3sBuilder("rancher/k3s:v1.32.4-k3s1").Build();
        await _container.StartAsync();
        var kubeconfig = await _container.GetKubeconfigAsync();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        _client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    public void Dispose() => _client?.Dispose();

    public async Task<string> CreateNamespaceAsync()
    {
        var name = SandboxFixture.UniqueName("contract");
        await Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = name } });
        return name;
    }

    public Task InstallWidgetCrdAsync() => WidgetCrd.InstallAsync(Client, Raw);

    public void ExpireHistory() => throw new NotSupportedException("k3s compacts on its own schedule");
}
