using System.Security.Cryptography;
using k8s;
using k8s.Models;
using OpenKbs.Sandbox.Kube;
using OpenKbs.Testing.Kubectl;

namespace OpenKbs.Testing;

/// <summary>
/// One in-process sandbox API server for a test class (IClassFixture) or collection (ICollectionFixture), with a
/// KubernetesClient, a kubeconfig for kubectl, and helpers for unique namespaces and names.
/// </summary>
public class SandboxFixture : IAsyncLifetime, IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "openkbs-sandbox-" + Guid.NewGuid().ToString("N")[..12]);
    private KubeApiServer? _server;
    private Kubernetes? _client;

    /// <summary>The running server.</summary>
    public KubeApiServer Server => _server ?? throw new InvalidOperationException("the sandbox is not started");

    /// <summary>A client for the server.</summary>
    public IKubernetes Client => _client ?? throw new InvalidOperationException("the sandbox is not started");

    /// <summary>Path of a kubeconfig (context openkbs-sandbox) for kubectl or other processes.</summary>
    public string KubeconfigPath { get; private set; } = string.Empty;

    /// <summary>A scratch folder removed when the fixture is disposed.</summary>
    public string WorkDirectory => _workDir;

    /// <summary>Options of the server; override in a subclass for other settings. Bookmarks come every 5 s by default here.</summary>
    protected virtual KubeApiServerOptions Options => new() { BookmarkInterval = TimeSpan.FromSeconds(5) };

    /// <summary>CRD folders to install at start (none by default). <see cref="RepositoryCrdsDirectory"/> is the repo's crds/.</summary>
    protected virtual IEnumerable<string> CrdDirectories => [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDir);
        _server = await KubeApiServer.StartAsync(Options);
        KubeconfigPath = _server.WriteKubeconfig(Path.Combine(_workDir, "kubeconfig"));
        _client = new Kubernetes(_server.ClientConfiguration());
        foreach (var dir in CrdDirectories)
        {
            await _server.InstallCrdsAsync(dir);
        }
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A kubectl runner for this server (own discovery cache folder).</summary>
    public KubectlRunner Kubectl() => new(KubeconfigPath, Path.Combine(_workDir, "kubectl-cache"));

    /// <summary>A DNS-label-safe unique name: prefix + '-' + 8 random characters.</summary>
    public static string UniqueName(string prefix = "t") =>
        $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";

    /// <summary>Creates a namespace with a unique name and returns the name.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix = "test", CancellationToken ct = default)
    {
        var name = UniqueName(prefix);
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: ct);
        return name;
    }

    /// <summary>The repository root (the folder holding OpenKbs.Operator.sln), found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("OpenKbs.Operator.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The repository's crds/ folder.</summary>
    public static string RepositoryCrdsDirectory => Path.Combine(RepositoryRoot(), "crds");
}
