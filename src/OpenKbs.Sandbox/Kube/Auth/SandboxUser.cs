namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>
/// An authenticated identity as Kubernetes' user.Info has it: a user name and groups. Service accounts are users named
/// <c>system:serviceaccount:NAMESPACE:NAME</c> in the groups <c>system:serviceaccounts</c> and
/// <c>system:serviceaccounts:NAMESPACE</c>, as kube-apiserver's token authenticator makes them.
/// </summary>
public sealed record SandboxUser(string Name, IReadOnlyList<string> Groups)
{
    public const string AuthenticatedGroup = "system:authenticated";

    public const string UnauthenticatedGroup = "system:unauthenticated";

    public const string MastersGroup = "system:masters";

    /// <summary>kubeadm's admin: in <c>system:masters</c>, which kube-apiserver allows everything before RBAC is asked.</summary>
    public static SandboxUser Admin { get; } = new("kubernetes-admin", [MastersGroup, AuthenticatedGroup]);

    /// <summary>A request without credentials (anonymous authentication).</summary>
    public static SandboxUser Anonymous { get; } = new("system:anonymous", [UnauthenticatedGroup]);

    /// <summary>The user a service account's token authenticates as.</summary>
    public static SandboxUser ServiceAccount(string ns, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new SandboxUser(ServiceAccountUserName(ns, name), ["system:serviceaccounts", "system:serviceaccounts:" + ns, AuthenticatedGroup]);
    }

    /// <summary>A plain user in <paramref name="groups"/> (plus <c>system:authenticated</c>, as every authenticator adds it).</summary>
    public static SandboxUser User(string name, params string[] groups)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new SandboxUser(name, [.. groups.Where(g => g != AuthenticatedGroup), AuthenticatedGroup]);
    }

    public static string ServiceAccountUserName(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    public bool InGroup(string group) => Groups.Contains(group, StringComparer.Ordinal);

    public override string ToString() => Name;
}
