using k8s;
using OpenKbs.Sandbox.Kube;
using OpenKbs.Testing;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>The in-process sandbox as a contract target (bookmarks every second so the bookmark test is quick).</summary>
public sealed class SandboxTarget : SandboxFixture, IApiTarget
{
    private RawApi? _raw;

    public string Name => "sandbox";

    public RawApi Raw => _raw ??= new RawApi(((Kubernetes)Client).HttpClient, Server.Url);

    public bool CanExpireHistory => true;

    public TimeSpan BookmarkWait => TimeSpan.FromSeconds(10);

    protected override KubeApiServerOptions Options => new() { BookmarkInterval = TimeSpan.FromSeconds(1) };

    public Task<string> CreateNamespaceAsync() => CreateNamespaceAsync("contract");

    public Task InstallWidgetCrdAsync() => WidgetCrd.InstallAsync(Client, Raw);

    public void ExpireHistory() => Server.ExpireWatchHistory();
}
