using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenKbs.Testing;

namespace OpenKbs.Sandbox.Tests.Kube;

/// <summary>The installation kinds (Deployment, RBAC, ...) are stored, read back, and refused as kube-apiserver refuses them.</summary>
public sealed class InstallationResourcesTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task A_deployment_is_stored_with_a_generation_and_one_whose_selector_misses_its_pods_is_refused()
    {
        var ns = await sandbox.CreateNamespaceAsync("inst");
        var created = await sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("ok", "a", "a"), ns);
        Assert.Equal(1, created.Metadata.Generation);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("bad", "a", "b"), ns));
        Assert.Equal((HttpStatusCode)422, refused.Response.StatusCode);
        Assert.Contains("`selector` does not match template `labels`", refused.Response.Content, StringComparison.Ordinal);

        created.Spec.Selector.MatchLabels["app"] = "changed";
        created.Spec.Template.Metadata.Labels["app"] = "changed";
        var immutable = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "ok", ns));
        Assert.Contains("spec.selector: Invalid value", immutable.Response.Content, StringComparison.Ordinal);
        Assert.Contains("field is immutable", immutable.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bindings_need_a_role_of_the_right_kind_and_their_roleRef_never_changes()
    {
        var ns = await sandbox.CreateNamespaceAsync("rbac");
        var toRole = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = SandboxFixture.UniqueName("crb") },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "x" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "op", NamespaceProperty = ns }],
        };
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(toRole));
        Assert.Contains("roleRef.kind: Unsupported value", refused.Response.Content, StringComparison.Ordinal);

        var binding = await sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "rb" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "reader" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "op", NamespaceProperty = ns }],
            },
            ns);
        binding.RoleRef.Name = "writer";
        var changed = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(binding, "rb", ns));
        Assert.Contains("cannot change roleRef", changed.Response.Content, StringComparison.Ordinal);

        var noVerbs = new V1ClusterRole { Metadata = new V1ObjectMeta { Name = SandboxFixture.UniqueName("cr") }, Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = [] }] };
        var ruleRefused = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.RbacAuthorizationV1.CreateClusterRoleAsync(noVerbs));
        Assert.Contains("rules[0].verbs: Required value", ruleRefused.Response.Content, StringComparison.Ordinal);
    }

    private static V1Deployment Deployment(string name, string selector, string podLabel) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = selector } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = podLabel } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "op", Image = "openkbs:1", Ports = [new V1ContainerPort { ContainerPort = 8080 }] }] },
            },
        },
    };
}
