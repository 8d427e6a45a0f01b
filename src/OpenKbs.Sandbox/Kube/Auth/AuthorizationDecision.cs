namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>The binding, role and rule that allowed a request (what the RBAC authorizer's allow reason names).</summary>
/// <param name="BindingKind">ClusterRoleBinding or RoleBinding.</param>
/// <param name="BindingName">The binding's name.</param>
/// <param name="BindingNamespace">The RoleBinding's namespace; empty for a ClusterRoleBinding.</param>
/// <param name="RoleKind">ClusterRole or Role.</param>
/// <param name="RoleName">The role's name.</param>
/// <param name="RoleNamespace">The Role's namespace; empty for a ClusterRole.</param>
/// <param name="RuleIndex">Index of the rule in the role's rules.</param>
/// <param name="Subject">The binding's subject that matched, as kube describes it (ServiceAccount "name/namespace", User "name", Group "name").</param>
public sealed record RuleSource(string BindingKind, string BindingName, string BindingNamespace, string RoleKind, string RoleName, string RoleNamespace, int RuleIndex, string Subject)
{
    /// <summary>The role as "ClusterRole NAME" or "Role NAMESPACE/NAME".</summary>
    public string Role => RoleNamespace.Length == 0 ? $"{RoleKind} {RoleName}" : $"{RoleKind} {RoleNamespace}/{RoleName}";

    /// <summary>kube's wording: ClusterRoleBinding "b" of ClusterRole "r" to ServiceAccount "sa/ns".</summary>
    public override string ToString()
    {
        var binding = BindingNamespace.Length == 0 ? BindingName : $"{BindingName}/{BindingNamespace}";
        return $"{BindingKind} \"{binding}\" of {RoleKind} \"{RoleName}\" to {Subject}";
    }
}

/// <summary>An authorization decision: allowed (by a rule, or by system:masters), or denied with the reason kube gives.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason, RuleSource? Source)
{
    public static AuthorizationDecision Masters { get; } = new(true, "allowed by group system:masters", null);
}

/// <summary>One authorized request as the sandbox recorded it (identical requests are counted, not repeated).</summary>
public sealed record AuthorizationRecord(
    string User, string Verb, string ApiGroup, string Resource, string Namespace, string Name, string Path, bool Allowed, RuleSource? Source, string Reason)
{
    /// <summary>"verb resource.group "name" in namespace" (or "verb /path"), as a test names a denied request.</summary>
    public string Request => Path.Length > 0 && Resource.Length == 0
        ? $"{Verb} {Path}"
        : $"{Verb} {Resource}{(ApiGroup.Length > 0 ? "." + ApiGroup : string.Empty)}{(Name.Length > 0 ? " \"" + Name + "\"" : string.Empty)}{(Namespace.Length > 0 ? " in namespace " + Namespace : " (cluster scope)")}";
}

/// <summary>A permission (one verb on one resource of one group, or on one URL) that a rule grants and no recorded request used.</summary>
public sealed record UnusedPermission(string Role, int RuleIndex, string Verb, string ApiGroup, string Resource)
{
    public override string ToString() =>
        $"{Role} rule {RuleIndex}: {Verb} {Resource}{(ApiGroup.Length > 0 && ApiGroup != "*" ? "." + ApiGroup : ApiGroup == "*" ? " (all groups)" : string.Empty)}";
}
