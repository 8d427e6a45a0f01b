using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenKbs.Aws;
using OpenKbs.Controllers;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Projects;
using OpenKbs.Operator.Hosting;
using YamlDotNet.RepresentationModel;

namespace OpenKbs.Operator.Tests.Deploy;

/// <summary>charts/openkbs-operator rendered as `helm template` does: defaults, every value set, bad values refused.</summary>
public sealed class ChartTests
{
    private static readonly string AllValues = File.ReadAllText(Path.Combine(ChartRenderer.Root, "tests", "OpenKbs.Operator.Tests", "Deploy", "values-all.yaml"));

    [SkippableFact]
    public async Task Defaults_render_the_crds_the_operator_its_least_rbac_and_the_metrics_service()
    {
        var rendered = await ChartRenderer.RenderAsync();

        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var kinds = rendered.Objects.Select(o => ((k8s.IKubernetesObject)o).Kind).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition",
             "Deployment", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"],
            kinds);
        var crds = rendered.Objects.OfType<V1CustomResourceDefinition>().ToList();
        Assert.Equal(["accounttransfers.openkbs.com", "auditruns.openkbs.com", "clientaccounts.openkbs.com", "projects.openkbs.com"], crds.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(crds, c => Assert.Equal("keep", c.Metadata.Annotations["helm.sh/resource-policy"]));
        var deployment = rendered.One<V1Deployment>("openkbs-operator");
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("ghcr.io/openkbs/openkbs-operator:0.1.0", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(["run"], deployment.Spec.Template.Spec.Containers[0].Args);
        var binding = rendered.One<V1ClusterRoleBinding>();
        Assert.Equal(("ClusterRole", "openkbs-operator"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal(("ServiceAccount", "openkbs-operator", "openkbs-system"), (binding.Subjects[0].Kind, binding.Subjects[0].Name, binding.Subjects[0].NamespaceProperty));
        Assert.Null(rendered.One<V1ServiceAccount>().Metadata.Annotations);
    }

    [SkippableFact]
    public async Task Cluster_role_holds_exactly_the_rules_of_config_rbac_role_yaml_and_never_a_wildcard()
    {
        var rendered = await ChartRenderer.RenderAsync();
        var source = k8s.KubernetesYaml.Deserialize<V1ClusterRole>(File.ReadAllText(Path.Combine(ChartRenderer.Root, "config", "rbac", "role.yaml")), strict: true);
        var leader = k8s.KubernetesYaml.Deserialize<V1Role>(File.ReadAllText(Path.Combine(ChartRenderer.Root, "config", "rbac", "leader_election_role.yaml")), strict: true);

        var role = rendered.One<V1ClusterRole>();
        Assert.Equal(k8s.KubernetesJson.Serialize(source.Rules), k8s.KubernetesJson.Serialize(role.Rules));
        Assert.Equal(k8s.KubernetesJson.Serialize(leader.Rules), k8s.KubernetesJson.Serialize(rendered.One<V1Role>().Rules));
        Assert.All(role.Rules.Concat(leader.Rules), r => Assert.DoesNotContain("*", r.Verbs.Concat(r.Resources).Concat(r.ApiGroups)));
        Assert.DoesNotContain(role.Rules, r => r.Resources.Contains("secrets") && (r.Verbs.Contains("list") || r.Verbs.Contains("watch") || r.Verbs.Contains("delete")));
    }

    [SkippableFact]
    public async Task Every_value_set_renders_monitor_network_policy_per_namespace_bindings_irsa_and_argo_health()
    {
        var rendered = await ChartRenderer.RenderAsync(AllValues, apiVersions: "monitoring.coreos.com/v1");

        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        Assert.Empty(rendered.Objects.OfType<V1ClusterRoleBinding>());
        var bindings = rendered.Objects.OfType<V1RoleBinding>().Where(b => b.RoleRef.Kind == "ClusterRole").ToList();
        Assert.Equal(["tenant-a", "tenant-b"], bindings.Select(b => b.Metadata.NamespaceProperty).Order(StringComparer.Ordinal));
        Assert.All(bindings, b => Assert.Equal(("okbs-sa", "openkbs-system"), (b.Subjects[0].Name, b.Subjects[0].NamespaceProperty)));
        var account = rendered.One<V1ServiceAccount>("okbs-sa");
        Assert.Equal("arn:aws:iam::123456789012:role/openkbs-operator", account.Metadata.Annotations["eks.amazonaws.com/role-arn"]);
        Assert.Equal("platform", account.Metadata.Annotations["example.com/owner"]);
        var deployment = rendered.One<V1Deployment>("okbs-operator");
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("registry.example.com/openkbs/operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("registry-credentials", deployment.Spec.Template.Spec.ImagePullSecrets[0].Name);
        Assert.All(rendered.Objects.OfType<V1CustomResourceDefinition>(), c => Assert.Null(c.Metadata.Annotations));
        var policy = rendered.One<V1NetworkPolicy>();
        Assert.Contains(policy.Spec.Egress, e => e.Ports[0].Port.Value == "5432" && e.To[0].IpBlock.Cidr == "10.0.50.0/24");
        Assert.Contains(policy.Spec.Egress, e => e.Ports[0].Port.Value == "6443" && e.To[0].IpBlock.Cidr == "10.100.0.1/32");
        Assert.Equal("monitoring", policy.Spec.Ingress[0].FromProperty[0].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        var monitor = Assert.Single(rendered.Documents, d => d.Contains("kind: ServiceMonitor", StringComparison.Ordinal));
        Assert.Contains("- port: metrics", monitor, StringComparison.Ordinal);
        Assert.Contains("interval: 15s", monitor, StringComparison.Ordinal);
        var health = rendered.One<V1ConfigMap>("okbs-operator-argocd-health");
        Assert.Equal(
            ["resource.customizations.health.openkbs.com_AccountTransfer", "resource.customizations.health.openkbs.com_AuditRun",
             "resource.customizations.health.openkbs.com_ClientAccount", "resource.customizations.health.openkbs.com_Project"],
            health.Data.Keys.Order(StringComparer.Ordinal));
        Assert.All(health.Data.Values, lua => Assert.Equal(File.ReadAllText(Path.Combine(ChartRenderer.ChartDirectory, "files", "argocd", "health.lua")).TrimEnd(), lua.TrimEnd()));
        Assert.Equal(2, rendered.One<V1PodDisruptionBudget>().Spec.MinAvailable.Value is "2" ? 2 : -1);

        // isolation KubernetesJob: the claim mounted where the operator looks, the Jobs in the pod's own namespace with its image,
        // and a Role in the release namespace for exactly the Jobs, their NetworkPolicies and reading their pods.
        var pod = deployment.Spec.Template.Spec;
        var claim = Assert.Single(pod.Volumes, v => v.PersistentVolumeClaim is not null);
        Assert.Equal("openkbs-scans-efs", claim.PersistentVolumeClaim.ClaimName);
        Assert.Equal("/mnt/scans", Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == claim.Name).MountPath);
        var scanNamespace = Assert.Single(pod.Containers[0].Env, e => e.Name == "OPENKBS_AuditRun__ScanJobNamespace");
        Assert.Equal("metadata.namespace", scanNamespace.ValueFrom.FieldRef.FieldPath);
        Assert.Equal(deployment.Spec.Template.Spec.Containers[0].Image, Env(deployment)["OPENKBS_AuditRun__ScanJobImage"]);
        var scanRole = rendered.One<V1Role>("okbs-operator-scan-jobs");
        Assert.Equal("openkbs-system", scanRole.Metadata.NamespaceProperty);
        var source = k8s.KubernetesYaml.Deserialize<V1Role>(File.ReadAllText(Path.Combine(ChartRenderer.Root, "config", "rbac", "scan_job_role.yaml")), strict: true);
        Assert.Equal(k8s.KubernetesJson.Serialize(source.Rules), k8s.KubernetesJson.Serialize(scanRole.Rules));
        Assert.Equal(
            ["batch/jobs: create,delete,get,patch", "networking.k8s.io/networkpolicies: create,delete,get", "/pods: get,list"],
            scanRole.Rules.Select(r => $"{r.ApiGroups.Single()}/{r.Resources.Single()}: {string.Join(',', r.Verbs.Order(StringComparer.Ordinal))}"));
        var scanBinding = Assert.Single(rendered.Objects.OfType<V1RoleBinding>(), b => b.RoleRef.Name == "okbs-operator-scan-jobs");
        Assert.Equal(("Role", "okbs-sa", "openkbs-system"), (scanBinding.RoleRef.Kind, scanBinding.Subjects[0].Name, scanBinding.Metadata.NamespaceProperty));
    }

    [SkippableFact]
    public async Task What_helm_lint_checks_holds_for_the_defaults_and_every_value()
    {
        var chart = k8s.KubernetesYaml.Deserialize<Dictionary<string, object>>(File.ReadAllText(Path.Combine(ChartRenderer.ChartDirectory, "Chart.yaml")));
        Assert.Equal(("v2", "openkbs-operator", "application"), ((string)chart["apiVersion"], (string)chart["name"], (string)chart["type"]));
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", (string)chart["version"]);
        Assert.False(string.IsNullOrWhiteSpace((string)chart["appVersion"]));

        foreach (var values in new[] { null, AllValues })
        {
            var rendered = await ChartRenderer.RenderAsync(values);
            Assert.True(rendered.ExitCode == 0, rendered.ToString());
            foreach (var o in rendered.Objects.Cast<k8s.IKubernetesObject<V1ObjectMeta>>())
            {
                Assert.False(string.IsNullOrEmpty(o.ApiVersion) || string.IsNullOrEmpty(o.Kind), o.Metadata.Name);
                Assert.Matches(@"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", o.Metadata.Name);
                Assert.All(o.Metadata.Labels ?? new Dictionary<string, string>(), l => Assert.True(l.Value.Length <= 63, $"{o.Kind} {o.Metadata.Name}: label {l.Key} longer than 63"));
            }
        }
    }

    [Fact]
    public void The_all_values_file_sets_every_key_of_values_yaml()
    {
        var defaults = Leaves(Load(File.ReadAllText(Path.Combine(ChartRenderer.ChartDirectory, "values.yaml"))), string.Empty).ToHashSet(StringComparer.Ordinal);
        var all = Leaves(Load(AllValues), string.Empty).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(defaults, k => !all.Any(a => a == k || a.StartsWith(k + ".", StringComparison.Ordinal)));

        static YamlNode Load(string text)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents[0].RootNode;
        }

        static IEnumerable<string> Leaves(YamlNode node, string prefix) => node is YamlMappingNode { Children.Count: > 0 } map
            ? map.Children.SelectMany(c => Leaves(c.Value, prefix.Length == 0 ? ((YamlScalarNode)c.Key).Value! : prefix + "." + ((YamlScalarNode)c.Key).Value))
            : [prefix];
    }

    [SkippableTheory]
    [InlineData("replicaCount: -1", "- replicaCount: Must be greater than or equal to 1")]
    [InlineData("replicas: 2", "- (root): Additional property replicas is not allowed")]
    [InlineData("aws:\n  allowedRegions: [eu-central-1, us-east-1]", "- aws.allowedRegions.1: aws.allowedRegions.1 must be one of the following: \"eu-central-1\"")]
    [InlineData("aws:\n  defaultRegion: eu-west-2", "- aws.defaultRegion: aws.defaultRegion must be one of the following")]
    [InlineData("aws:\n  defaultRegion: eu-west-1", "aws.defaultRegion eu-west-1 must be one of aws.allowedRegions (eu-central-1)")]
    [InlineData("serviceAccount:\n  awsRoleArn: openkbs", "- serviceAccount.awsRoleArn: Does not match pattern")]
    [InlineData("operator:\n  resyncInterval: soon", "- operator.resyncInterval: Does not match pattern")]
    [InlineData("operator:\n  logLevel: Verbose", "- operator.logLevel: operator.logLevel must be one of the following: \"Trace\"")]
    [InlineData("clientAccount:\n  maxCreationsInFlight: 9", "- clientAccount.maxCreationsInFlight: Must be less than or equal to 5")]
    [InlineData("project:\n  waitForLambdas: \"00:00:01\"", "- project: Additional property waitForLambdas is not allowed")]
    [InlineData("serviceAccount:\n  create: false", "serviceAccount.name is required when serviceAccount.create is false")]
    [InlineData("auditRun:\n  isolation: Sandbox", "- auditRun.isolation: auditRun.isolation must be one of the following: \"ChildProcess\"")]
    [InlineData("auditRun:\n  isolation: KubernetesJob", "auditRun.scanJob.claimName is required when auditRun.isolation is KubernetesJob")]
    [InlineData("auditRun:\n  scanJob:\n    mountPath: scans", "- auditRun.scanJob.mountPath: Does not match pattern")]
    [InlineData("incidents:\n  webhookUrl: https://user:secret@hooks.example.eu/openkbs", "- incidents.webhookUrl: Does not match pattern")]
    [InlineData("incidents:\n  maxAttempts: 0", "- incidents.maxAttempts: Must be greater than or equal to 1")]
    public async Task Bad_values_are_refused_at_render_time_with_the_offending_key(string values, string message)
    {
        var rendered = await ChartRenderer.RenderAsync(values);

        Assert.NotEqual(0, rendered.ExitCode);
        Assert.Empty(rendered.Output);
        Assert.Contains(message, rendered.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_pod_is_non_root_read_only_without_capabilities_probed_on_healthz_and_readyz_spread_and_protected()
    {
        var rendered = await ChartRenderer.RenderAsync();
        var deployment = rendered.One<V1Deployment>();
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        Assert.Equal("RuntimeDefault", container.SecurityContext.SeccompProfile.Type);
        var tmp = Assert.Single(container.VolumeMounts);
        Assert.Equal("/tmp", tmp.MountPath);
        Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == tmp.Name).EmptyDir);
        Assert.Equal(("/healthz", "health"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/readyz", "health"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        Assert.Equal(8081, Assert.Single(container.Ports, p => p.Name == "health").ContainerPort);
        Assert.Equal(8080, Assert.Single(container.Ports, p => p.Name == "metrics").ContainerPort);
        Assert.Equal(":8081", Env(deployment)["OPENKBS_HEALTH_PROBE_BIND_ADDRESS"]);
        Assert.Equal("256Mi", container.Resources.Requests["memory"].ToString());
        Assert.Equal("1536Mi", container.Resources.Limits["memory"].ToString());
        Assert.Equal(["kubernetes.io/hostname", "topology.kubernetes.io/zone"], pod.TopologySpreadConstraints.Select(c => c.TopologyKey));
        Assert.All(pod.TopologySpreadConstraints, c => Assert.Equal(deployment.Spec.Selector.MatchLabels, c.LabelSelector.MatchLabels));
        var budget = rendered.One<V1PodDisruptionBudget>();
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, deployment.Spec.Template.Metadata.Labels[l.Key]));
        Assert.True(deployment.Spec.Template.Spec.TerminationGracePeriodSeconds > 30, "longer than the operator's shutdownTimeout");
        Assert.Equal(0, deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value is "0" ? 0 : -1);
    }

    [SkippableFact]
    public async Task The_operator_parses_every_rendered_setting_to_the_values_given()
    {
        var rendered = await ChartRenderer.RenderAsync(AllValues);
        var env = Env(rendered.One<V1Deployment>());

        var options = OperatorSettings.Load(null, env, new Dictionary<string, IReadOnlyList<string>>());

        var settable = OperatorSettings.All.Select(s => s.EnvironmentVariable).Where(v => v is not "OPENKBS_KUBECONFIG" and not "OPENKBS_LEADER_ELECTION_IDENTITY");
        Assert.DoesNotContain(settable, v => !env.ContainsKey(v));
        Assert.Equal(["tenant-a", "tenant-b"], options.Namespaces);
        Assert.Equal("shard=eu", options.LabelSelector);
        Assert.Equal((":9090", ":9091"), (options.MetricsBindAddress, options.HealthProbeBindAddress));
        Assert.Equal((true, "openkbs-system", "okbs-leader"), (options.LeaderElect, options.LeaderElectionNamespace, options.LeaderElectionId));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(4)), (options.LeaseDuration, options.RenewDeadline, options.RetryPeriod));
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(40)), (options.ResyncInterval, options.TerminalRecheckInterval, options.BackoffCap, options.ShutdownTimeout));
        Assert.Equal((8, "Debug", "text"), (options.MaxConcurrentReconciles, options.LogLevel, options.LogFormat));

        // The kubelet fills the pod's own namespace in (fieldRef), as it does for POD_NAMESPACE.
        var deployment = rendered.One<V1Deployment>();
        Assert.Equal("metadata.namespace", deployment.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "OPENKBS_AuditRun__ScanJobNamespace").ValueFrom.FieldRef.FieldPath);
        env["OPENKBS_AuditRun__ScanJobNamespace"] = deployment.Metadata.NamespaceProperty;

        // The sections bind through the operator's own registration (AddEnvironmentVariables("OPENKBS_"): '__' for ':').
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(env.Where(e => e.Key.StartsWith("OPENKBS_", StringComparison.Ordinal))
                .Select(e => new KeyValuePair<string, string?>(e.Key["OPENKBS_".Length..].Replace("__", ":", StringComparison.Ordinal), e.Value)))
            .Build();
        using var services = new ServiceCollection().AddOpenKbsControllers(configuration).BuildServiceProvider();
        var clientAccount = services.GetRequiredService<IOptions<ClientAccountOptions>>().Value;
        var project = services.GetRequiredService<IOptions<ProjectOptions>>().Value;
        var transfer = services.GetRequiredService<AccountTransferOptions>(); // what its steps take
        var aws = services.GetRequiredService<IOptions<AwsOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(20), 4, 3, 12), (clientAccount.WaitWhileAccountCreating, clientAccount.MaxCreationsInFlight, clientAccount.UrgentWorkers, clientAccount.MaxConcurrentReconciles));
        Assert.Empty(clientAccount.Failures());
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromMinutes(20), 6), (project.UsageRefresh, project.DriftCheckInterval, project.MaxConcurrentReconciles));
        Assert.Empty(project.Failures());
        Assert.Equal((TimeSpan.FromDays(20), TimeSpan.FromHours(2), 1), (transfer.AccessCheckPeriod, transfer.CodeValidity, transfer.MaxConcurrentReconciles));
        Assert.Empty(transfer.Failures());
        var audit = services.GetRequiredService<IOptions<OpenKbs.Controllers.AuditRuns.AuditRunOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(15), 2, 768, true, "/app/openkbs"), (audit.TimeLimit, audit.MaxConcurrentReconciles, audit.ScanMemoryLimitMiB, audit.ScanWithoutNetwork, audit.ScanCommand));
        // The Job path: the claim, where the operator mounts it, the poll and CPU limit; namespace and image come from the pod itself.
        Assert.Equal((OpenKbs.Controllers.AuditRuns.ScanIsolation.KubernetesJob, "openkbs-scans-efs", "/mnt/scans", TimeSpan.FromSeconds(5), "500m"),
            (audit.Isolation, audit.ScanJobClaimName, audit.ScanJobMountPath, audit.ScanJobPollInterval, audit.ScanJobCpuLimit));
        Assert.Equal("registry.example.com/openkbs/operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", audit.ScanJobImage);
        Assert.Equal("openkbs-system", audit.ScanJobNamespace);
        Assert.Empty(audit.Failures());
        var incidents = configuration.GetSection(OpenKbs.AuditTrail.IncidentOptions.SectionName).Get<OpenKbs.AuditTrail.IncidentOptions>()!;
        Assert.Equal(("https://hooks.example.eu/openkbs", 8, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(45), TimeSpan.FromHours(3)), (incidents.WebhookUrl, incidents.MaxAttempts, incidents.MaxBackoff, incidents.PollInterval, incidents.DeadlineLead));
        Assert.Empty(incidents.Failures());
        Assert.Equal(("eu-west-1", "okbs", TimeSpan.FromMinutes(3), "10.0.0.10"), (aws.DefaultRegion, aws.SessionNamePrefix, aws.SessionRefreshMargin, aws.SourceAddress));
        Assert.Equal(["eu-west-1", "eu-central-1"], aws.AllowedRegions);
        Assert.Equal("openkbs-artifacts", env["OPENKBS_ARTIFACT_BUCKET"]);
        Assert.Equal(("openkbs-operator-eu", "500", "7", "00:30:00"), (env["OPENKBS_AuditStore__OperatorIdentity"], env["OPENKBS_AuditStore__RetentionDays"], env["OPENKBS_AuditStore__TimeoutSeconds"], env["OPENKBS_AuditStore__VerifyInterval"]));
        var store = configuration.GetSection(OpenKbs.AuditTrail.AuditStoreOptions.SectionName).Get<OpenKbs.AuditTrail.AuditStoreOptions>()!;
        Assert.Equal(("openkbs-audit-anchors-eu", "eu-west-1", "prod/", "Governance", 730, 5000), (store.AnchorBucket, store.AnchorRegion, store.AnchorPrefix, store.AnchorMode, store.AnchorRetentionDays, store.AnchorEveryRecords));
    }

    [SkippableFact]
    public async Task Notes_tell_the_next_step_and_warn_when_no_iam_role_or_audit_store_is_set()
    {
        var bare = await ChartRenderer.RenderAsync(notes: true);
        var full = await ChartRenderer.RenderAsync(AllValues, notes: true);

        Assert.True(bare.ExitCode == 0, bare.ToString());
        Assert.Contains("kubectl -n openkbs-system rollout status deployment/openkbs-operator", bare.Output, StringComparison.Ordinal);
        Assert.Contains("No IAM role is set (serviceAccount.awsRoleArn)", bare.Output, StringComparison.Ordinal);
        Assert.All(new[] { bare, full }, r => Assert.Contains("member-access-role-policy.json (inline", r.Output, StringComparison.Ordinal));
        Assert.Contains("no audit store is configured", bare.Output, StringComparison.Ordinal);
        Assert.Contains("assumes arn:aws:iam::123456789012:role/openkbs-operator (IRSA) in regions eu-west-1, eu-central-1", full.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("no audit store", full.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charts/openkbs-operator/files/crds", "crds")]
    [InlineData("config/crd", "crds")]
    [InlineData("charts/openkbs-operator/files/rbac", "config/rbac")]
    public void Copies_in_the_chart_and_config_equal_their_source_run_make_deploy_files_when_this_fails(string copy, string source)
    {
        var copies = Directory.GetFiles(Path.Combine(ChartRenderer.Root, copy), "*.yaml")
            .Where(f => !Path.GetFileName(f).StartsWith("kustomization", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var sources = Directory.GetFiles(Path.Combine(ChartRenderer.Root, source), "*.yaml")
            .Where(f => copy.EndsWith("crds", StringComparison.Ordinal) || copy == "config/crd" || Path.GetFileName(f) is "role.yaml" or "leader_election_role.yaml" or "scan_job_role.yaml")
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);

        Assert.Equal(sources.Keys.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(sources, s => Assert.True(s.Value == copies[s.Key], $"{copy}/{s.Key} differs from {source}/{s.Key}: run make deploy-files"));
    }

    internal static Dictionary<string, string> Env(V1Deployment deployment) =>
        deployment.Spec.Template.Spec.Containers[0].Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
}
