using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenKbs.Sandbox.Tests.Contract;
using OpenKbs.Testing;

namespace OpenKbs.Sandbox.Tests.Kube;

/// <summary>What only the sandbox offers: fault injection, dropped watches, discovery, kubeconfig, CRD life cycle.</summary>
public sealed class SandboxServerTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private RawApi Raw => new(((Kubernetes)sandbox.Client).HttpClient, sandbox.Server.Url);

    [Fact]
    public async Task FailNext_answers_the_next_matching_requests_with_a_proper_Status()
    {
        var ns = await sandbox.CreateNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "target" } }, ns);
        sandbox.Server.Faults.FailNext("PUT", $"/namespaces/{ns}/configmaps/target$", 409, times: 1);

        var current = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("target", ns);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "target", ns));
        var retried = await sandbox.Client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "target", ns);

        Assert.Equal(System.Net.HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", JsonNode.Parse(error.Response.Content)!["reason"]!.GetValue<string>());
        Assert.Equal("target", retried.Metadata.Name);
        Assert.Equal(0, sandbox.Server.Faults.Pending);
    }

    [Fact]
    public async Task DropAllWatches_cuts_open_watch_streams()
    {
        var ns = await sandbox.CreateNamespaceAsync();
        using var watch = await Raw.WatchAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sandbox.Server.OpenWatchCount == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        sandbox.Server.DropAllWatches();

        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Discovery_lists_the_built_in_groups_and_resources_kubectl_needs()
    {
        var groups = await Raw.GetAsync("/apis");
        var core = await Raw.GetAsync("/api/v1");
        var version = await Raw.GetAsync("/version");

        Assert.Equal(["apiextensions.k8s.io", "coordination.k8s.io", "events.k8s.io", "networking.k8s.io", "rbac.authorization.k8s.io"], groups["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).Where(g => g.EndsWith("k8s.io", StringComparison.Ordinal)));
        var names = core["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("namespaces/status", names);
        Assert.Contains("configmaps", names);
        Assert.Contains("secrets", names);
        Assert.Contains("events", names);
        Assert.Equal("32", version["minor"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_CRD_is_established_at_once_and_its_deletion_removes_instances_and_the_resource()
    {
        var crdYaml = (await File.ReadAllTextAsync(WidgetCrd.Path)).Replace("widgets", "gizmos", StringComparison.Ordinal).Replace("Widget", "Gizmo", StringComparison.Ordinal)
            .Replace("widget", "gizmo", StringComparison.Ordinal).Replace("[wdg]", "[gzm]", StringComparison.Ordinal);
        var crd = await sandbox.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(crdYaml));
        var ns = await sandbox.CreateNamespaceAsync();
        var gizmo = WidgetCrd.New("g1");
        gizmo["kind"] = "Gizmo";
        await Raw.CreateAsync($"/apis/test.openkbs.com/v1/namespaces/{ns}/gizmos", gizmo);

        await sandbox.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(crd.Metadata.Name);

        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (await Raw.SendAsync(HttpMethod.Get, $"/apis/test.openkbs.com/v1/gizmos")).Status != 404)
        {
            await Task.Delay(100);
        }

        Assert.Equal(404, (await Raw.SendAsync(HttpMethod.Get, "/apis/test.openkbs.com/v1/gizmos")).Status);
        Assert.Equal(0, sandbox.Server.CountObjects("test.openkbs.com", "gizmos"));
    }

    [Fact]
    public void The_kubeconfig_names_the_context_and_points_at_the_server()
    {
        var text = File.ReadAllText(sandbox.KubeconfigPath);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(sandbox.KubeconfigPath, currentContext: "openkbs-sandbox");

        Assert.Contains("current-context: openkbs-sandbox", text, StringComparison.Ordinal);
        Assert.Equal(sandbox.Server.Url.ToString().TrimEnd('/'), config.Host.TrimEnd('/'));
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public async Task Leases_support_KubernetesClient_leader_election()
    {
        var ns = await sandbox.CreateNamespaceAsync();
        var leaseLock = new k8s.LeaderElection.ResourceLock.LeaseLock(sandbox.Client, ns, "leader", "me");
        using var elector = new k8s.LeaderElection.LeaderElector(new k8s.LeaderElection.LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = TimeSpan.FromSeconds(15),
            RenewDeadline = TimeSpan.FromSeconds(10),
            RetryPeriod = TimeSpan.FromSeconds(1),
        });
        var leading = new TaskCompletionSource();
        elector.OnStartedLeading += () => leading.TrySetResult();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = elector.RunUntilLeadershipLostAsync(cts.Token);

        await leading.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var lease = await sandbox.Client.CoordinationV1.ReadNamespacedLeaseAsync("leader", ns);
        await cts.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal("me", lease.Spec.HolderIdentity);
    }
}
