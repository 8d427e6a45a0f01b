using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenKbs.Sandbox.Kube.Auth;
using OpenKbs.Testing;

namespace OpenKbs.Sandbox.Tests.Auth;

/// <summary>
/// RBAC as Kubernetes evaluates it, through KubernetesClient and raw HTTP: Roles and ClusterRoles, both kinds of
/// binding, verbs, subresources, resourceNames, wildcards, cluster scope, and kube-apiserver's 401/403 Status bodies.
/// </summary>
public sealed class RbacAuthorizationTests(RbacSandboxFixture sandbox) : IClassFixture<RbacSandboxFixture>
{
    private const string Rbac = "rbac.authorization.k8s.io";

    [Fact]
    public async Task An_unknown_token_is_401_and_anonymous_sees_only_public_info()
    {
        using var http = sandbox.RawHttp();
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nobody");
        using var unauthorized = await http.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await unauthorized.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("version")).StatusCode);
        using var discovery = await http.GetAsync("apis");
        Assert.Equal(HttpStatusCode.Forbidden, discovery.StatusCode);
        Assert.Equal("""forbidden: User "system:anonymous" cannot get path "/apis" """.TrimEnd(), Status(await discovery.Content.ReadAsStringAsync()).GetProperty("message").GetString());

        using var list = await http.GetAsync("api/v1/namespaces");
        var status = Status(await list.Content.ReadAsStringAsync());
        Assert.Equal(403, status.GetProperty("code").GetInt32());
        Assert.Equal("Forbidden", status.GetProperty("reason").GetString());
        Assert.Equal("""namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope""", status.GetProperty("message").GetString());
        Assert.Equal("namespaces", status.GetProperty("details").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_role_binding_grants_its_verbs_in_its_namespace_only_and_the_403_names_user_verb_resource_and_namespace()
    {
        var ns = await sandbox.CreateNamespaceAsync("rb");
        var other = await sandbox.CreateNamespaceAsync("other");
        await RoleAsync(ns, "reader", Rule([""], ["configmaps"], ["get", "list"]));
        await RoleBindingAsync(ns, "alice-reads", "Role", "reader", User("alice"));
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns);
        using var alice = sandbox.ClientFor(RbacSandboxFixture.AliceToken);

        Assert.Single((await alice.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
        Assert.Equal("c", (await alice.CoreV1.ReadNamespacedConfigMapAsync("c", ns)).Metadata.Name);

        var elsewhere = await ForbiddenAsync(() => alice.CoreV1.ListNamespacedConfigMapAsync(other));
        Assert.Equal($"""configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "{other}" """.TrimEnd(), elsewhere);
        var create = await ForbiddenAsync(() => alice.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "d" } }, ns));
        Assert.Equal($"""configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "{ns}" """.TrimEnd(), create);
        var delete = await ForbiddenAsync(() => alice.CoreV1.DeleteNamespacedConfigMapAsync("c", ns));
        Assert.Equal($"""configmaps "c" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "{ns}" """.TrimEnd(), delete);
        var all = await ForbiddenAsync(() => alice.CoreV1.ListConfigMapForAllNamespacesAsync());
        Assert.EndsWith("""cannot list resource "configmaps" in API group "" at the cluster scope""", all, StringComparison.Ordinal);
        await ForbiddenAsync(() => alice.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns));
        await ForbiddenAsync(() => alice.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, watch: true));
        Assert.Contains(sandbox.Authorization.Denied, r => r.User == "alice" && r.Verb == "deletecollection" && r.Namespace == ns);
        Assert.Contains(sandbox.Authorization.Denied, r => r.User == "alice" && r.Verb == "watch" && r.Resource == "configmaps");

        // bob is not bound; a Group subject binds every member
        using var bob = sandbox.ClientFor(RbacSandboxFixture.BobToken);
        await ForbiddenAsync(() => bob.CoreV1.ListNamespacedConfigMapAsync(ns));
        await RoleBindingAsync(other, "devs-read", "Role", "reader", Group("devs"));
        await ForbiddenAsync(() => alice.CoreV1.ListNamespacedConfigMapAsync(other)); // the Role "reader" exists only in ns
        Assert.Equal("RBAC: role.rbac.authorization.k8s.io \"reader\" not found", sandbox.Authorization.Check(RbacSandboxFixture.Alice, "list", "", "configmaps", other).Reason);
        await RoleAsync(other, "reader", Rule([""], ["configmaps"], ["list"]));
        Assert.Empty((await alice.CoreV1.ListNamespacedConfigMapAsync(other)).Items);
    }

    [Fact]
    public async Task A_cluster_role_is_namespaced_through_a_role_binding_and_cluster_wide_through_a_cluster_role_binding()
    {
        var ns = await sandbox.CreateNamespaceAsync("cr");
        var role = SandboxFixture.UniqueName("secrets-reader");
        await ClusterRoleAsync(role, Rule([""], ["secrets", "namespaces"], ["list", "get"]));
        await RoleBindingAsync(ns, "op-secrets", "ClusterRole", role, new Rbacv1Subject { Kind = "ServiceAccount", Name = "op", NamespaceProperty = "ops" });
        using var op = sandbox.ClientFor(RbacSandboxFixture.OperatorToken);

        Assert.Empty((await op.CoreV1.ListNamespacedSecretAsync(ns)).Items);
        Assert.Equal(ns, (await op.CoreV1.ReadNamespaceAsync(ns)).Metadata.Name); // GET namespaces/NS is namespaced attributes: the RoleBinding in NS counts
        var scope = await ForbiddenAsync(() => op.CoreV1.ListSecretForAllNamespacesAsync());
        Assert.Equal("""secrets is forbidden: User "system:serviceaccount:ops:op" cannot list resource "secrets" in API group "" at the cluster scope""", scope);
        await ForbiddenAsync(() => op.CoreV1.ListNamespaceAsync());

        await ClusterRoleBindingAsync(SandboxFixture.UniqueName("op-all"), role, new Rbacv1Subject { Kind = "ServiceAccount", Name = "op", NamespaceProperty = "ops" });
        Assert.NotEmpty((await op.CoreV1.ListNamespaceAsync()).Items);
        await op.CoreV1.ListSecretForAllNamespacesAsync();
        var decision = sandbox.Authorization.Check(RbacSandboxFixture.Operator, "list", "", "secrets");
        Assert.True(decision.Allowed);
        Assert.Equal("ClusterRole", decision.Source!.RoleKind);
        Assert.StartsWith("RBAC: allowed by ClusterRoleBinding \"op-all-", decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"of ClusterRole \"{role}\" to ServiceAccount \"op/ops\"", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_account_subject_without_a_namespace_means_the_binding_namespace()
    {
        var ns = await sandbox.CreateNamespaceAsync("ops-like");
        await RoleAsync(ns, "cm", Rule([""], ["configmaps"], ["list"]));
        await RoleBindingAsync(ns, "sa", "Role", "cm", new Rbacv1Subject { Kind = "ServiceAccount", Name = "op" });
        Assert.False(sandbox.Authorization.Check(RbacSandboxFixture.Operator, "list", "", "configmaps", ns).Allowed); // op lives in "ops", not in ns
        var local = SandboxUser.ServiceAccount(ns, "op");
        Assert.True(sandbox.Authorization.Check(local, "list", "", "configmaps", ns).Allowed);
    }

    [Fact]
    public async Task Subresources_resource_names_and_wildcards_match_as_kube_matches_them()
    {
        var ns = await sandbox.CreateNamespaceAsync("sub");
        await RoleAsync(ns, "status-writer",
            Rule(["apps"], ["deployments/status"], ["patch"]),
            Rule([""], ["*/status"], ["update"]),
            Rule([""], ["configmaps"], ["get", "watch", "list", "update"], names: ["allowed"]));
        await RoleBindingAsync(ns, "alice-status", "Role", "status-writer", User("alice"));
        var alice = RbacSandboxFixture.Alice;
        var auth = sandbox.Authorization;

        Assert.True(auth.Check(alice, "patch", "apps", "deployments", ns, "d", "status").Allowed);
        Assert.False(auth.Check(alice, "patch", "apps", "deployments", ns, "d").Allowed);               // "deployments/status" is not "deployments"
        Assert.False(auth.Check(alice, "patch", "apps", "deployments", ns, "d", "scale").Allowed);
        Assert.True(auth.Check(alice, "update", "", "services", ns, "s", "status").Allowed);           // */status: any resource of the rule's groups
        Assert.False(auth.Check(alice, "update", "apps", "deployments", ns, "d", "status").Allowed);   // ... but only in those groups
        Assert.False(auth.Check(alice, "update", "", "services", ns, "s").Allowed);
        Assert.True(auth.Check(alice, "get", "", "configmaps", ns, "allowed").Allowed);
        Assert.False(auth.Check(alice, "get", "", "configmaps", ns, "other").Allowed);
        Assert.False(auth.Check(alice, "list", "", "configmaps", ns).Allowed);                          // a rule with names never allows the collection

        // through HTTP: a watch narrowed to the name by a field selector is about that name
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "allowed" } }, ns);
        using var client = sandbox.ClientFor(RbacSandboxFixture.AliceToken);
        var one = await client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=allowed");
        Assert.Single(one.Items);
        var get = await ForbiddenAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("other", ns));
        Assert.Equal($"""configmaps "other" is forbidden: User "alice" cannot get resource "configmaps" in API group "" in the namespace "{ns}" """.TrimEnd(), get);
        var patch = await ForbiddenAsync(() => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "d", ns));
        Assert.Equal($"""deployments.apps "d" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "{ns}" """.TrimEnd(), patch);
        var status = await ForbiddenAsync(() => client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(new V1Deployment { Metadata = new V1ObjectMeta { Name = "d" } }, "d", ns));
        Assert.Equal($"""deployments.apps "d" is forbidden: User "alice" cannot update resource "deployments/status" in API group "apps" in the namespace "{ns}" """.TrimEnd(), status);

        await RoleAsync(ns, "everything", Rule(["*"], ["*"], ["*"]));
        var bobUser = RbacSandboxFixture.Bob;
        await RoleBindingAsync(ns, "bob-all", "Role", "everything", User("bob"));
        Assert.True(auth.Check(bobUser, "deletecollection", "openkbs.com", "projects", ns).Allowed);
        Assert.True(auth.Check(bobUser, "update", "openkbs.com", "clientaccounts", ns, "a", "finalizers").Allowed);
        Assert.False(auth.Check(bobUser, "list", "", "namespaces").Allowed);                            // a Role never reaches cluster scope
        Assert.False(auth.Check(bobUser, "get", "openkbs.com", "clientaccounts", "default", "a").Allowed);
    }

    [Fact]
    public async Task The_sandbox_records_which_rule_allowed_each_request_and_reports_permissions_never_used()
    {
        var ns = await sandbox.CreateNamespaceAsync("usage");
        var role = SandboxFixture.UniqueName("usage");
        await ClusterRoleAsync(role, Rule([""], ["configmaps", "secrets"], ["get", "list"]), Rule(["apps"], ["deployments"], ["get"]));
        var user = SandboxUser.ServiceAccount(ns, "reporter");
        sandbox.Authorization.AddToken("reporter-token", user);
        await ClusterRoleBindingAsync(role, role, new Rbacv1Subject { Kind = "ServiceAccount", Name = "reporter", NamespaceProperty = ns });
        using var client = sandbox.ClientFor("reporter-token");

        await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        await client.CoreV1.ListNamespacedSecretAsync(ns);
        var record = Assert.Single(sandbox.Authorization.Records.Keys, r => r.User == user.Name && r.Resource == "secrets");
        Assert.Equal(new RuleSource("ClusterRoleBinding", role, string.Empty, "ClusterRole", role, string.Empty, 0, $"ServiceAccount \"reporter/{ns}\""), record.Source);

        var unused = sandbox.Authorization.UnusedPermissions(user).Where(u => u.Role == $"ClusterRole {role}").Select(u => u.ToString()).ToList();
        Assert.Equal([$"ClusterRole {role} rule 0: get configmaps", $"ClusterRole {role} rule 0: get secrets", $"ClusterRole {role} rule 1: get deployments.apps"], unused);
    }

    [Fact]
    public async Task A_binding_to_a_missing_cluster_role_shows_in_the_denial_reason()
    {
        var ns = await sandbox.CreateNamespaceAsync("ghost");
        var ghost = SandboxFixture.UniqueName("ghost");
        await RoleBindingAsync(ns, "to-ghost", "ClusterRole", ghost, User("bob"));
        using var bob = sandbox.ClientFor(RbacSandboxFixture.BobToken);
        var message = await ForbiddenAsync(() => bob.CoreV1.ListNamespacedPodTemplateAsync(ns));
        Assert.EndsWith($": RBAC: clusterrole.rbac.authorization.k8s.io \"{ghost}\" not found", message, StringComparison.Ordinal);
    }

    private static Rbacv1Subject User(string name) => new() { Kind = "User", Name = name, ApiGroup = Rbac };

    private static Rbacv1Subject Group(string name) => new() { Kind = "Group", Name = name, ApiGroup = Rbac };

    private static V1PolicyRule Rule(string[] groups, string[] resources, string[] verbs, string[]? names = null) =>
        new() { ApiGroups = groups, Resources = resources, Verbs = verbs, ResourceNames = names };

    private Task RoleAsync(string ns, string name, params V1PolicyRule[] rules) =>
        sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = name }, Rules = rules }, ns);

    private Task ClusterRoleAsync(string name, params V1PolicyRule[] rules) =>
        sandbox.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = name }, Rules = rules });

    private Task RoleBindingAsync(string ns, string name, string kind, string role, Rbacv1Subject subject) =>
        sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding { Metadata = new V1ObjectMeta { Name = name }, RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = kind, Name = role }, Subjects = [subject] }, ns);

    private Task ClusterRoleBindingAsync(string name, string role, Rbacv1Subject subject) =>
        sandbox.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(
            new V1ClusterRoleBinding { Metadata = new V1ObjectMeta { Name = name }, RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = role }, Subjects = [subject] });

    /// <summary>Runs a call that must be refused with 403 and returns the Status message.</summary>
    private static async Task<string> ForbiddenAsync<T>(Func<Task<T>> call)
    {
        var refused = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        var status = Status(refused.Response.Content);
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("Failure", status.GetProperty("status").GetString());
        Assert.Equal("Forbidden", status.GetProperty("reason").GetString());
        Assert.Equal(403, status.GetProperty("code").GetInt32());
        return status.GetProperty("message").GetString()!;
    }

    private static JsonElement Status(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
