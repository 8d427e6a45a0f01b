using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Engine;
using OpenKbs.Sandbox.Kube.Resources;

namespace OpenKbs.Sandbox.Kube.Auth;

/// <summary>
/// Authentication and RBAC of a sandbox API server started with <see cref="KubeApiServerOptions.Auth"/>: bearer tokens
/// to users, kube's RBAC evaluation over the stored Roles and bindings, and a record of every decision (which rule
/// allowed each request, every denial) so tests can name a missing permission and report the permissions never used.
/// </summary>
public sealed class SandboxAuthorization
{
    private const int MaxRecords = 100_000;
    private readonly ConcurrentDictionary<string, SandboxUser> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AuthorizationRecord, long> _records = new();
    private readonly RbacAuthorizer _authorizer;
    private readonly SandboxAuthOptions _options;

    internal SandboxAuthorization(SandboxAuthOptions options, ResourceRegistry registry)
    {
        _options = options;
        _authorizer = new RbacAuthorizer(registry);
        foreach (var (token, user) in options.Tokens)
        {
            AddToken(token, user);
        }

        if (options.AdminToken is { Length: > 0 } admin)
        {
            _tokens.TryAdd(admin, SandboxUser.Admin);
        }
    }

    /// <summary>Adds (or replaces) a bearer token.</summary>
    public void AddToken(string token, SandboxUser user)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(user);
        _tokens[token] = user;
    }

    /// <summary>Every distinct decision so far, with how often it was made (in no particular order).</summary>
    public IReadOnlyDictionary<AuthorizationRecord, long> Records => new Dictionary<AuthorizationRecord, long>(_records);

    /// <summary>The denied requests so far.</summary>
    public IReadOnlyList<AuthorizationRecord> Denied => _records.Keys.Where(r => !r.Allowed).ToList();

    /// <summary>Forgets the recorded decisions.</summary>
    public void ClearRecords() => _records.Clear();

    /// <summary>Decides a resource request of <paramref name="user"/> as the server would (not recorded).</summary>
    public AuthorizationDecision Check(SandboxUser user, string verb, string apiGroup, string resource, string ns = "", string name = "", string subresource = "") =>
        _authorizer.Authorize(new RequestAttributes
        {
            User = user, Verb = verb, IsResourceRequest = true, ApiGroup = apiGroup, Namespace = ns, Resource = resource, Name = name, Subresource = subresource,
        });

    /// <summary>
    /// The permissions granted to <paramref name="user"/> by the roles its bindings name that no recorded allowed request
    /// used: each rule expanded to one entry per verb x resource x group (or verb x URL), an entry used when a request
    /// that this very rule allowed (the first rule that allows a request is credited, as kube's authorizer stops there)
    /// matches it. Bindings in every namespace are considered.
    /// </summary>
    public IReadOnlyList<UnusedPermission> UnusedPermissions(SandboxUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var used = _records.Keys.Where(r => r.Allowed && r.User == user.Name && r.Source is not null).ToList();
        var unused = new List<UnusedPermission>();
        var seenRoles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, _, bindingNamespace, _, binding) in _authorizer.BindingsOf(user))
        {
            var rules = _authorizer.RoleRulesOf(binding, bindingNamespace, out var roleKind, out var roleName, out _);
            var roleNamespace = roleKind == "Role" ? bindingNamespace : string.Empty;
            var role = roleNamespace.Length == 0 ? $"{roleKind} {roleName}" : $"{roleKind} {roleNamespace}/{roleName}";
            if (rules is null || !seenRoles.Add(role + "@" + bindingNamespace))
            {
                continue;
            }

            for (var i = 0; i < rules.Count; i++)
            {
                var index = i;
                var credited = used.Where(r => r.Source!.RoleKind == roleKind && r.Source.RoleName == roleName && r.Source.RoleNamespace == roleNamespace && r.Source.RuleIndex == index).ToList();
                foreach (var (verb, group, resource) in Expand(rules[i]))
                {
                    var single = new PolicyRule([verb], [group], resource.StartsWith('/') ? [] : [resource], rules[i].ResourceNames, resource.StartsWith('/') ? [resource] : []);
                    if (!credited.Any(r => single.Allows(ToAttributes(r))))
                    {
                        unused.Add(new UnusedPermission(role, i, verb, group, resource));
                    }
                }
            }
        }

        return unused;
    }

    private static IEnumerable<(string Verb, string Group, string Resource)> Expand(PolicyRule rule)
    {
        if (rule.NonResourceUrls.Count > 0)
        {
            return rule.Verbs.SelectMany(v => rule.NonResourceUrls.Select(u => (v, string.Empty, u)));
        }

        return rule.Verbs.SelectMany(v => rule.ApiGroups.SelectMany(g => rule.Resources.Select(r => (v, g, r))));
    }

    private static RequestAttributes ToAttributes(AuthorizationRecord record)
    {
        var slash = record.Resource.IndexOf('/', StringComparison.Ordinal);
        return new RequestAttributes
        {
            User = new SandboxUser(record.User, []),
            Verb = record.Verb,
            IsResourceRequest = record.Resource.Length > 0,
            Path = record.Path,
            ApiGroup = record.ApiGroup,
            Namespace = record.Namespace,
            Resource = slash < 0 ? record.Resource : record.Resource[..slash],
            Subresource = slash < 0 ? string.Empty : record.Resource[(slash + 1)..],
            Name = record.Name,
        };
    }

    /// <summary>The rules that apply to a user in a namespace (SelfSubjectRulesReview); system:masters gets cluster-admin's.</summary>
    internal IEnumerable<PolicyRule> RulesFor(SandboxUser user, string ns)
    {
        if (user.InGroup(SandboxUser.MastersGroup))
        {
            return [new PolicyRule(["*"], ["*"], ["*"], [], []), new PolicyRule(["*"], [], [], [], ["*"])];
        }

        return _authorizer.RulesFor(user, ns, []).Select(r => r.Rule).ToList();
    }

    /// <summary>The user of a request's Authorization header: null when a token is given but unknown (401).</summary>
    internal SandboxUser? Authenticate(string? authorizationHeader)
    {
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            return _options.AllowAnonymous ? SandboxUser.Anonymous : null;
        }

        const string bearer = "Bearer ";
        if (!authorizationHeader.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _tokens.TryGetValue(authorizationHeader[bearer.Length..].Trim(), out var user) ? user : null;
    }

    internal AuthorizationDecision Authorize(RequestAttributes request, bool record = true)
    {
        var decision = _authorizer.Authorize(request);
        if (record && _records.Count < MaxRecords)
        {
            var key = new AuthorizationRecord(
                request.User.Name, request.Verb, request.ApiGroup, request.IsResourceRequest ? request.CombinedResource : string.Empty,
                request.Namespace, request.Name, request.IsResourceRequest ? string.Empty : request.Path, decision.Allowed, decision.Source, decision.Reason);
            _records.AddOrUpdate(key, 1, (_, n) => n + 1);
        }

        return decision;
    }

    /// <summary>kube-apiserver's bootstrap policy (the part a client needs): cluster-admin, discovery, basic-user, public-info-viewer.</summary>
    internal static void CreateBootstrapPolicy(ApiEngine engine)
    {
        var roles = engine.Registry.StorageType(RbacAuthorizer.Group, "clusterroles")!;
        var bindings = engine.Registry.StorageType(RbacAuthorizer.Group, "clusterrolebindings")!;
        var options = new WriteOptions { FieldManager = "kube-apiserver" };
        foreach (var (name, rules, groups) in BootstrapRoles())
        {
            var labels = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
            engine.Create(roles, null, new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRole",
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
                ["rules"] = rules,
            }, options);
            engine.Create(bindings, null, new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRoleBinding",
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels.DeepClone() },
                ["roleRef"] = new JsonObject { ["apiGroup"] = RbacAuthorizer.Group, ["kind"] = "ClusterRole", ["name"] = name },
                ["subjects"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject { ["apiGroup"] = RbacAuthorizer.Group, ["kind"] = "Group", ["name"] = g }).ToArray()),
            }, options);
        }
    }

    private static IEnumerable<(string Name, JsonArray Rules, string[] Groups)> BootstrapRoles()
    {
        static JsonObject Urls(string[] verbs, params string[] urls) =>
            new() { ["nonResourceURLs"] = new JsonArray(urls.Select(u => (JsonNode)u).ToArray()), ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()) };
        static JsonObject Resources(string group, string[] resources, params string[] verbs) => new()
        {
            ["apiGroups"] = new JsonArray(group),
            ["resources"] = new JsonArray(resources.Select(r => (JsonNode)r).ToArray()),
            ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
        };

        yield return ("cluster-admin", new JsonArray(Resources("*", ["*"], "*"), Urls(["*"], "*")), [SandboxUser.MastersGroup]);
        yield return ("system:discovery", new JsonArray(Urls(["get"], "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")), [SandboxUser.AuthenticatedGroup]);
        yield return ("system:basic-user", new JsonArray(
            Resources("authorization.k8s.io", ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "create"),
            Resources("authentication.k8s.io", ["selfsubjectreviews"], "create")), [SandboxUser.AuthenticatedGroup]);
        yield return ("system:public-info-viewer", new JsonArray(Urls(["get"], "/healthz", "/livez", "/readyz", "/version", "/version/")), [SandboxUser.AuthenticatedGroup, SandboxUser.UnauthenticatedGroup]);
    }
}
