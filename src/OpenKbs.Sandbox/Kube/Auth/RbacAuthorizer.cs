using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>
/// Kubernetes' RBAC authorizer (plugin/pkg/auth/authorizer/rbac) over the sandbox's stored Roles, ClusterRoles and
/// bindings: the rules of every ClusterRoleBinding whose subjects apply to the user (namespace ""), then, for a
/// namespaced request, those of every RoleBinding in that namespace (a ServiceAccount subject without a namespace means
/// the binding's); the first rule that allows the request wins. A binding whose role is missing contributes the error
/// kube reports in the denial reason ("RBAC: clusterrole.rbac.authorization.k8s.io "x" not found"). Members of
/// system:masters are allowed before RBAC is asked, as kube-apiserver's privileged-group authorizer does.
/// Aggregated ClusterRoles (aggregationRule) are not expanded: their stored rules are used as written.
/// </summary>
internal sealed class RbacAuthorizer(ResourceRegistry registry)
{
    public const string Group = "rbac.authorization.k8s.io";

    private readonly ConditionalWeakTable<StoredObject, Binding> _bindings = [];
    private readonly ConditionalWeakTable<StoredObject, IReadOnlyList<PolicyRule>> _rules = [];

    public AuthorizationDecision Authorize(RequestAttributes request)
    {
        if (request.User.InGroup(SandboxUser.MastersGroup))
        {
            return AuthorizationDecision.Masters;
        }

        var errors = new List<string>();
        foreach (var (source, rule) in RulesFor(request.User, request.Namespace, errors))
        {
            if (rule.Allows(request))
            {
                return new AuthorizationDecision(true, "RBAC: allowed by " + source, source);
            }
        }

        var reason = errors.Count switch
        {
            0 => string.Empty,
            1 => "RBAC: " + errors[0],
            _ => $"RBAC: [{string.Join(", ", errors)}]",
        };
        return new AuthorizationDecision(false, reason, null);
    }

    /// <summary>Every rule that applies to <paramref name="user"/> in <paramref name="ns"/> ("" = cluster scope only), with the binding it comes from.</summary>
    public IEnumerable<(RuleSource Source, PolicyRule Rule)> RulesFor(SandboxUser user, string ns, List<string> errors)
    {
        foreach (var stored in Store("clusterrolebindings").Items)
        {
            var binding = Parse(stored);
            if (AppliesTo(user, binding, string.Empty) is not { } subject)
            {
                continue;
            }

            foreach (var item in RoleRules(binding, "ClusterRoleBinding", stored.Name, string.Empty, subject, errors))
            {
                yield return item;
            }
        }

        if (ns.Length == 0)
        {
            yield break;
        }

        foreach (var stored in Store("rolebindings").Items.Where(s => s.Namespace == ns))
        {
            var binding = Parse(stored);
            if (AppliesTo(user, binding, ns) is not { } subject)
            {
                continue;
            }

            foreach (var item in RoleRules(binding, "RoleBinding", stored.Name, ns, subject, errors))
            {
                yield return item;
            }
        }
    }

    /// <summary>The bindings that apply to a user (every namespace), for reports.</summary>
    public IEnumerable<(string BindingKind, string BindingName, string BindingNamespace, string Subject, Binding Binding)> BindingsOf(SandboxUser user)
    {
        foreach (var stored in Store("clusterrolebindings").Items)
        {
            var binding = Parse(stored);
            if (AppliesTo(user, binding, string.Empty) is { } subject)
            {
                yield return ("ClusterRoleBinding", stored.Name, string.Empty, subject, binding);
            }
        }

        foreach (var stored in Store("rolebindings").Items)
        {
            var binding = Parse(stored);
            if (AppliesTo(user, binding, stored.Namespace) is { } subject)
            {
                yield return ("RoleBinding", stored.Name, stored.Namespace, subject, binding);
            }
        }
    }

    /// <summary>The rules of a binding's role (ClusterRole, or a Role in <paramref name="ns"/>), or null with an error when it is missing.</summary>
    public IReadOnlyList<PolicyRule>? RoleRulesOf(Binding binding, string ns, out string roleKind, out string roleName, out string? error)
    {
        roleKind = binding.RoleKind;
        roleName = binding.RoleName;
        error = null;
        StoredObject? role;
        switch (roleKind)
        {
            case "ClusterRole":
                role = Store("clusterroles").Get(roleName);
                error = role is null ? $"clusterrole.{Group} \"{roleName}\" not found" : null;
                break;
            case "Role" when ns.Length > 0:
                role = Store("roles").Get($"{ns}/{roleName}");
                error = role is null ? $"role.{Group} \"{roleName}\" not found" : null;
                break;
            default:
                error = $"unsupported role reference kind: \"{roleKind}\"";
                return null;
        }

        return role is null ? null : _rules.GetValue(role, r => ((JsonNode.Parse(r.Json)?["rules"] as JsonArray) ?? []).Select(n => PolicyRule.Parse(n as JsonObject)).ToList());
    }

    private IEnumerable<(RuleSource, PolicyRule)> RoleRules(Binding binding, string bindingKind, string bindingName, string ns, string subject, List<string> errors)
    {
        var rules = RoleRulesOf(binding, ns, out var roleKind, out var roleName, out var error);
        if (rules is null)
        {
            errors.Add(error!);
            yield break;
        }

        var roleNamespace = roleKind == "Role" ? ns : string.Empty;
        for (var i = 0; i < rules.Count; i++)
        {
            yield return (new RuleSource(bindingKind, bindingName, ns, roleKind, roleName, roleNamespace, i, subject), rules[i]);
        }
    }

    /// <summary>kube's appliesTo: the description of the first subject that is the user (User), holds it (Group) or is its service account.</summary>
    private static string? AppliesTo(SandboxUser user, Binding binding, string ns)
    {
        foreach (var (kind, name, subjectNamespace) in binding.Subjects)
        {
            switch (kind)
            {
                case "User" when user.Name == name:
                    return $"User \"{name}\"";
                case "Group" when user.InGroup(name):
                    return $"Group \"{name}\"";
                case "ServiceAccount":
                    var saNamespace = subjectNamespace.Length > 0 ? subjectNamespace : ns;
                    if (saNamespace.Length > 0 && user.Name == SandboxUser.ServiceAccountUserName(saNamespace, name))
                    {
                        return $"ServiceAccount \"{name}/{saNamespace}\"";
                    }

                    break;
            }
        }

        return null;
    }

    private ObjectStore Store(string plural) =>
        registry.StorageType(Group, plural)?.Store ?? throw new InvalidOperationException($"{plural}.{Group} is not served");

    private Binding Parse(StoredObject stored) => _bindings.GetValue(stored, s => Binding.Parse(JsonNode.Parse(s.Json) as JsonObject));

    /// <summary>A RoleBinding or ClusterRoleBinding as the authorizer needs it (immutable, cached per stored version).</summary>
    internal sealed record Binding(string RoleKind, string RoleName, IReadOnlyList<(string Kind, string Name, string Namespace)> Subjects)
    {
        public static Binding Parse(JsonObject? binding)
        {
            var roleRef = binding?["roleRef"] as JsonObject;
            var subjects = (binding?["subjects"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(s => (Text(s["kind"]), Text(s["name"]), Text(s["namespace"]))).ToList();
            return new Binding(Text(roleRef?["kind"]), Text(roleRef?["name"]), subjects);
        }

        private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
    }
}
