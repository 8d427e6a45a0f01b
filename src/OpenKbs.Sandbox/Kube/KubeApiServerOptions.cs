using Microsoft.Extensions.Logging;

namespace OpenKbs.Sandbox.Kube;

/// <summary>Settings of one sandbox API server.</summary>
public sealed record KubeApiServerOptions
{
    /// <summary>Address to bind (plain HTTP; no authentication unless <see cref="Auth"/> is set): keep it on loopback.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free port (see <see cref="KubeApiServer.Url"/>).</summary>
    public int Port { get; init; }

    /// <summary>Committed events retained per resource for watch resumption and paginated lists (older resourceVersions answer 410).</summary>
    public int WatchHistorySize { get; init; } = 10_000;

    /// <summary>How often watches that allow bookmarks get a BOOKMARK event.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Events a watcher may fall behind before the server closes its stream (the client then re-watches).</summary>
    public int WatchQueueCapacity { get; init; } = 100_000;

    /// <summary>How long a watch stays open when the client does not pass timeoutSeconds.</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Namespaces created at start (a real cluster has these).</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Clock for timestamps (creationTimestamp, deletionTimestamp, managedFields times, table ages).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Authentication (bearer tokens) and RBAC authorization; null (the default) authenticates nobody and allows
    /// everything. See <see cref="Auth.SandboxAuthOptions"/> and docs/sandbox.md.
    /// </summary>
    public Auth.SandboxAuthOptions? Auth { get; init; }

    /// <summary>Logging; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
