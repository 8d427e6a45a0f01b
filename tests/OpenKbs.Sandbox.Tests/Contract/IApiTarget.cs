using k8s;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>An API server the contract suite runs against: the in-process sandbox or k3s.</summary>
public interface IApiTarget
{
    string Name { get; }

    IKubernetes Client { get; }

    RawApi Raw { get; }

    Task<string> CreateNamespaceAsync();

    /// <summary>Installs the test Widget CRD (idempotent) and waits until it is served.</summary>
    Task InstallWidgetCrdAsync();

    /// <summary>Whether the target can forget its watch history on demand (the sandbox can; a real cluster compacts on its own schedule).</summary>
    bool CanExpireHistory { get; }

    void ExpireHistory();

    /// <summary>How long to wait for a watch bookmark.</summary>
    TimeSpan BookmarkWait { get; }
}
