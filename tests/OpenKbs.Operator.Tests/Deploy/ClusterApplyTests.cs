using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Testing;
using OpenKbs.Testing.Kubectl;
using Xunit.Abstractions;

namespace OpenKbs.Operator.Tests.Deploy;

/// <summary>
/// The rendered chart and `kubectl kustomize config/` applied with kubectl to the sandbox API server: server-side dry run,
/// then for real, then read back. The sandbox serves the kinds the operator uses and those an installation consists of
/// (Deployment, Service, ServiceAccount, PodDisruptionBudget, NetworkPolicy, RBAC; stored and validated, nothing runs);
/// objects of any kind it does not serve (ServiceMonitor) are listed in the output and checked as typed objects instead.
/// </summary>
public sealed class ClusterApplyTests(SandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<SandboxFixture>
{
    [SkippableFact]
    public async Task Chart_with_every_value_applies_dry_run_then_for_real_and_reads_back()
    {
        Skip.If(KubectlRunner.UnavailableReason is not null, KubectlRunner.UnavailableReason);
        var rendered = await ChartRenderer.RenderAsync(
            File.ReadAllText(Path.Combine(ChartRenderer.Root, "tests", "OpenKbs.Operator.Tests", "Deploy", "values-all.yaml")),
            release: "openkbs-operator",
            ns: "openkbs-system");
        Assert.True(rendered.ExitCode == 0, rendered.ToString());

        var applied = await ApplyServedAsync(rendered.Documents, "openkbs-system");

        Assert.Contains("CustomResourceDefinition", applied);
        Assert.Contains("ConfigMap", applied);
        foreach (var kind in new[] { "Deployment", "PodDisruptionBudget", "Service", "ServiceAccount", "ClusterRole", "Role", "RoleBinding", "NetworkPolicy" })
        {
            Assert.Contains(kind, applied);
        }

        var health = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("okbs-operator-argocd-health", "openkbs-system");
        Assert.Equal(4, health.Data.Count);
        var crd = await sandbox.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("projects.openkbs.com");
        Assert.Equal("openkbs.com", crd.Spec.Group);
    }

    [SkippableFact]
    public async Task Kustomize_config_builds_the_chart_defaults_and_applies()
    {
        Skip.If(KubectlRunner.UnavailableReason is not null, KubectlRunner.UnavailableReason);
        var build = await sandbox.Kubectl().RunAsync("kustomize", Path.Combine(ChartRenderer.Root, "config"));
        Assert.True(build.ExitCode == 0, build.ToString());
        var rendered = await ChartRenderer.RenderAsync();
        Assert.True(rendered.ExitCode == 0, rendered.ToString());

        var kustomized = Documents(build.Stdout).Select(ToJson).ToDictionary(Key, StringComparer.Ordinal);
        var charted = rendered.Documents.Select(ToJson).ToDictionary(Key, StringComparer.Ordinal);

        Assert.Equal(charted.Keys.Append("Namespace//openkbs-system").Order(StringComparer.Ordinal), kustomized.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, chartObject) in charted)
        {
            if (key.StartsWith("CustomResourceDefinition/", StringComparison.Ordinal))
            {
                // The files are the same bytes (Copies_in_the_chart_and_config_equal_their_source); kustomize reformats numbers (0.0 -> 0).
                Assert.True(JsonNode.DeepEquals(chartObject["spec"]!["names"], kustomized[key]["spec"]!["names"]), key);
                continue;
            }

            var a = Normalize(chartObject);
            var b = Normalize(kustomized[key]);
            Assert.True(JsonNode.DeepEquals(a, b), $"{key} differs:\nchart:     {a.ToJsonString()}\nkustomize: {b.ToJsonString()}");
        }

        var applied = await ApplyServedAsync(Documents(build.Stdout), null);
        Assert.Contains("Namespace", applied);
        Assert.Contains("CustomResourceDefinition", applied);
        Assert.Contains("Deployment", applied);
        Assert.Contains("ClusterRoleBinding", applied);
    }

    /// <summary>Applies the documents of served kinds (dry run, then for real) and reads them back; returns the kinds applied.</summary>
    private async Task<HashSet<string>> ApplyServedAsync(IEnumerable<string> documents, string? ns)
    {
        var kubectl = sandbox.Kubectl();
        var resources = await kubectl.RunAsync("api-resources");
        Assert.True(resources.ExitCode == 0, resources.ToString());
        var lines = resources.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int apiVersionAt = lines[0].IndexOf("APIVERSION", StringComparison.Ordinal), kindAt = lines[0].IndexOf("KIND", StringComparison.Ordinal);
        var served = lines.Skip(1)
            .Select(l => (ApiVersion: l[apiVersionAt..].Split(' ')[0], Kind: l[kindAt..].Split(' ')[0]))
            .ToHashSet();
        if (ns is not null)
        {
            await kubectl.RunAsync("create", "namespace", ns);
        }

        var objects = documents.Select(d => (Text: d, Json: ToJson(d))).ToList();
        var apply = objects.Where(o => served.Contains(((string)o.Json["apiVersion"]!, (string)o.Json["kind"]!))).ToList();
        var skipped = objects.Except(apply).Select(o => $"{o.Json["kind"]} {o.Json["metadata"]!["name"]}").ToList();
        output.WriteLine($"not served by the sandbox (checked as typed objects only): {string.Join(", ", skipped)}");
        output.WriteLine($"applied: {string.Join(", ", apply.Select(o => $"{o.Json["kind"]} {o.Json["metadata"]!["name"]}"))}");
        // The namespaces the objects name (e.g. the RoleBindings of operator.namespaces) exist in a real cluster already.
        foreach (var objectNamespace in apply.Select(o => (string?)o.Json["metadata"]!["namespace"]).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await kubectl.RunAsync("create", "namespace", objectNamespace);
        }

        var file = Path.Combine(sandbox.WorkDirectory, Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, string.Join("\n---\n", apply.Select(o => o.Text)));

        var absent = new List<JsonNode>();
        foreach (var (_, json) in apply)
        {
            if ((await kubectl.RunAsync(Get(json, ns))).ExitCode != 0)
            {
                absent.Add(json);
            }
        }

        var dryRun = await kubectl.RunAsync("apply", "--server-side", "--field-manager", "helm", "--dry-run=server", "-f", file);
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        foreach (var json in absent)
        {
            var get = await kubectl.RunAsync(Get(json, ns));
            Assert.True(get.ExitCode != 0, $"the dry run created {json["kind"]} {json["metadata"]!["name"]}");
        }

        var real = await kubectl.RunAsync("apply", "--server-side", "--field-manager", "helm", "-f", file);
        Assert.True(real.ExitCode == 0, real.ToString());
        foreach (var (_, json) in apply)
        {
            var get = await kubectl.RunAsync(Get(json, ns).Append("-o").Append("json"));
            Assert.True(get.ExitCode == 0, get.ToString());
            var live = JsonNode.Parse(get.Stdout)!;
            Assert.Equal((string?)json["metadata"]!["name"], (string?)live["metadata"]!["name"]);
            foreach (var label in json["metadata"]!["labels"]?.AsObject() ?? [])
            {
                Assert.Equal((string?)label.Value, (string?)live["metadata"]!["labels"]![label.Key]);
            }

            if (json["spec"] is { } spec && (string?)json["kind"] == "CustomResourceDefinition")
            {
                Assert.Equal((string?)spec["group"], (string?)live["spec"]!["group"]);
                Assert.Equal((string?)spec["names"]!["kind"], (string?)live["spec"]!["names"]!["kind"]);
            }
        }

        return apply.Select(o => (string)o.Json["kind"]!).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Get(JsonNode json, string? ns)
    {
        var kind = (string)json["kind"]!;
        var group = ((string)json["apiVersion"]!).Contains('/', StringComparison.Ordinal) ? "." + ((string)json["apiVersion"]!).Split('/')[0] : string.Empty;
        IEnumerable<string> args = ["get", kind.ToLowerInvariant() + group, (string)json["metadata"]!["name"]!];
        var objectNamespace = (string?)json["metadata"]!["namespace"] ?? ns;
        return kind is "CustomResourceDefinition" or "Namespace" or "ClusterRole" or "ClusterRoleBinding" || objectNamespace is null
            ? args
            : args.Concat(["-n", objectNamespace]);
    }

    private static IEnumerable<string> Documents(string yaml) =>
        yaml.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries).Select(d => d.TrimStart('-', '\n')).Where(d => d.Contains("kind:", StringComparison.Ordinal));

    private static JsonNode ToJson(string yaml)
    {
        var value = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize(new StringReader(yaml));
        var json = new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(value);
        return JsonNode.Parse(json)!;
    }

    private static string Key(JsonNode o) => $"{o["kind"]}/{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}";

    /// <summary>Without what differs by design: Helm's own labels and annotations, and the namespace kustomize sets.</summary>
    private static JsonNode Normalize(JsonNode o)
    {
        var copy = o.DeepClone();
        var meta = copy["metadata"]!.AsObject();
        meta.Remove("annotations");
        meta.Remove("namespace");
        if (meta["labels"] is JsonObject labels)
        {
            foreach (var helm in new[] { "helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/version", "app.kubernetes.io/name", "app.kubernetes.io/instance" })
            {
                labels.Remove(helm);
            }
        }

        return copy;
    }
}
