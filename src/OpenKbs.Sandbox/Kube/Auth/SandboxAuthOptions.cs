namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>
/// Turns on authentication (bearer tokens) and RBAC authorization in the sandbox API server. Without it (the default)
/// the server answers every request as today: no authentication, everything allowed.
/// </summary>
public sealed record SandboxAuthOptions
{
    /// <summary>The token the sandbox's own kubeconfig and client carry (<see cref="KubeApiServer.WriteKubeconfig"/>); it authenticates as <see cref="SandboxUser.Admin"/>.</summary>
    public const string DefaultAdminToken = "openkbs-sandbox";

    /// <summary>Bearer token to identity. Further tokens can be added at run time (<see cref="SandboxAuthorization.AddToken"/>).</summary>
    public IReadOnlyDictionary<string, SandboxUser> Tokens { get; init; } = new Dictionary<string, SandboxUser>(StringComparer.Ordinal);

    /// <summary>The admin token (system:masters); null for none.</summary>
    public string? AdminToken { get; init; } = DefaultAdminToken;

    /// <summary>Requests without a token are <c>system:anonymous</c> (kube-apiserver's default); false answers them 401.</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>Create kube-apiserver's bootstrap roles and bindings at start: cluster-admin (system:masters), system:discovery, system:basic-user, system:public-info-viewer.</summary>
    public bool BootstrapPolicy { get; init; } = true;
}
