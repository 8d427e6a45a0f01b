using k8s;
using k8s.Models;
using OpenKbs.Testing.Kubectl;

namespace OpenKbs.Sandbox.Tests.Auth;

/// <summary>kubectl as a bound user: what it prints when refused, `auth can-i` (SelfSubjectAccessReview and SubjectAccessReview via --as is not modelled), `auth can-i --list`, `auth whoami`.</summary>
public sealed class KubectlRbacTests(RbacSandboxFixture sandbox) : IClassFixture<RbacSandboxFixture>
{
    [SkippableFact]
    public async Task Kubectl_prints_kube_forbidden_message_and_auth_can_i_answers_from_the_same_rules()
    {
        Skip.If(KubectlRunner.UnavailableReason is not null, KubectlRunner.UnavailableReason);
        var ns = await sandbox.CreateNamespaceAsync("kctl");
        await sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role { Metadata = new V1ObjectMeta { Name = "cm" }, Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get", "list", "create"] }] }, ns);
        await sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "alice" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "cm" },
                Subjects = [new Rbacv1Subject { Kind = "User", Name = "alice", ApiGroup = "rbac.authorization.k8s.io" }],
            },
            ns);
        var alice = sandbox.KubectlAs(RbacSandboxFixture.AliceToken);

        var created = await alice.RunAsync("create", "configmap", "made-by-alice", "-n", ns, "--from-literal=a=b");
        Assert.True(created.ExitCode == 0, created.ToString());
        var get = await alice.RunAsync("get", "configmaps", "-n", ns, "-o", "name");
        Assert.Contains("configmap/made-by-alice", get.Stdout, StringComparison.Ordinal);

        var secrets = await alice.RunAsync("get", "secrets", "-n", ns);
        Assert.NotEqual(0, secrets.ExitCode);
        Assert.Contains(
            $"""Error from server (Forbidden): secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "{ns}" """.TrimEnd(),
            secrets.Stderr, StringComparison.Ordinal);
        var delete = await alice.RunAsync("delete", "configmap", "made-by-alice", "-n", ns);
        Assert.Contains("""Error from server (Forbidden): configmaps "made-by-alice" is forbidden: User "alice" cannot delete resource "configmaps" """, delete.Stderr, StringComparison.Ordinal);

        var yes = await alice.RunAsync("auth", "can-i", "list", "configmaps", "-n", ns);
        Assert.True(yes.Stdout.Trim() == "yes", yes.ToString());
        var no = await alice.RunAsync("auth", "can-i", "delete", "configmaps", "-n", ns);
        Assert.Equal("no", no.Stdout.Trim());
        Assert.Equal(1, no.ExitCode);
        Assert.Equal("no", (await alice.RunAsync("auth", "can-i", "list", "configmaps", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await sandbox.Kubectl().RunAsync("auth", "can-i", "delete", "namespaces")).Stdout.Trim());

        var list = await alice.RunAsync("auth", "can-i", "--list", "-n", ns);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"configmaps\s+\[\]\s+\[\]\s+\[get list create\]", list.Stdout);
        Assert.Matches(@"selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", list.Stdout);

        var whoami = await alice.RunAsync("auth", "whoami", "-o", "json");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("\"username\": \"alice\"", whoami.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"devs\"", whoami.Stdout, StringComparison.Ordinal);
    }
}
