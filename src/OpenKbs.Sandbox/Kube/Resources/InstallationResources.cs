using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// The kinds an installation of the operator consists of (ServiceAccount, Service, Deployment, PodDisruptionBudget,
/// RBAC, NetworkPolicy), served so that the Helm chart and config/ can be applied with kubectl (server-side dry run and
/// for real) and read back; and the AuditRun controller's scan Jobs and their Pods (a test plays the kubelet: it writes a
/// Pod and the Job's status). Stored and validated only: nothing schedules pods. Each kind checks the rules of
/// kube-apiserver's validation that a manifest author most often breaks (docs/sandbox.md).
/// </summary>
internal static class InstallationResources
{
    public static void Register(ResourceRegistry registry)
    {
        Add(registry, string.Empty, "serviceaccounts", "ServiceAccount", true, ["sa"], new ResourceStrategy());
        Add(registry, string.Empty, "services", "Service", true, ["svc"], new ServiceStrategy(), hasStatus: true);
        Add(registry, "apps", "deployments", "Deployment", true, ["deploy"], new DeploymentStrategy(), hasStatus: true);
        Add(registry, "policy", "poddisruptionbudgets", "PodDisruptionBudget", true, ["pdb"], new SelectorStrategy(), hasStatus: true);
        Add(registry, "networking.k8s.io", "networkpolicies", "NetworkPolicy", true, ["netpol"], new SelectorStrategy(podSelector: true));
        Add(registry, "batch", "jobs", "Job", true, [], new JobStrategy(), hasStatus: true);
        Add(registry, string.Empty, "pods", "Pod", true, ["po"], new PodStrategy(), hasStatus: true);
        var rules = new RbacRulesStrategy();
        Add(registry, "rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false, [], rules);
        Add(registry, "rbac.authorization.k8s.io", "roles", "Role", true, [], rules);
        var bindings = new RbacBindingStrategy();
        Add(registry, "rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false, [], bindings);
        Add(registry, "rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true, [], bindings);
    }

    private static void Add(
        ResourceRegistry registry, string group, string plural, string kind, bool namespaced, string[] shortNames, ResourceStrategy strategy, bool hasStatus = false)
        => registry.Add(new ResourceType
        {
            Group = group,
            Version = "v1",
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Kind = kind,
            ListKind = kind + "List",
            Namespaced = namespaced,
            ShortNames = shortNames,
            HasStatus = hasStatus,
            Store = registry.Store(group, plural, strategy, namespaced),
            Strategy = strategy,
            Table = new BuiltInTable(BuiltInTable.NameColumn, BuiltInTable.AgeColumn),
        });

    /// <summary>Workloads and PDBs: a label selector whose matchLabels are well-formed (and, for Deployments, match the pod template).</summary>
    private class SelectorStrategy(bool podSelector = false) : ResourceStrategy
    {
        public override bool UsesGeneration => !podSelector;

        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
        {
            var path = podSelector ? "spec.podSelector" : "spec.selector";
            var selector = (obj["spec"] as JsonObject)?[podSelector ? "podSelector" : "selector"];
            if (selector is not JsonObject && !podSelector)
            {
                errors.Add(KubeFieldError.Required(path, string.Empty));
            }
        }
    }

    private sealed class DeploymentStrategy : SelectorStrategy
    {
        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
        {
            base.Validate(obj, old, type, errors);
            var spec = obj["spec"] as JsonObject;
            var matchLabels = (spec?["selector"] as JsonObject)?["matchLabels"] as JsonObject;
            var labels = ((spec?["template"] as JsonObject)?["metadata"] as JsonObject)?["labels"] as JsonObject;
            if (matchLabels is not null && (labels is null || matchLabels.Any(kv => labels[kv.Key]?.ToString() != kv.Value?.ToString())))
            {
                errors.Add(KubeFieldError.Invalid("spec.template.metadata.labels", labels?.DeepClone(), "`selector` does not match template `labels`"));
            }

            if (old is not null && !JsonNode.DeepEquals(spec?["selector"], (old["spec"] as JsonObject)?["selector"]))
            {
                errors.Add(KubeFieldError.Invalid("spec.selector", spec?["selector"]?.DeepClone(), "field is immutable"));
            }

            var containers = (((spec?["template"] as JsonObject)?["spec"] as JsonObject)?["containers"] as JsonArray) ?? [];
            if (containers.Count == 0)
            {
                errors.Add(KubeFieldError.Required("spec.template.spec.containers", string.Empty));
            }

            for (var i = 0; i < containers.Count; i++)
            {
                var container = containers[i] as JsonObject;
                foreach (var field in new[] { "name", "image" })
                {
                    if (string.IsNullOrEmpty(container?[field]?.ToString()))
                    {
                        errors.Add(KubeFieldError.Required($"spec.template.spec.containers[{i}].{field}", string.Empty));
                    }
                }

                var ports = container?["ports"] as JsonArray ?? [];
                foreach (var (port, j) in ports.Select((p, j) => (p as JsonObject, j)))
                {
                    if (port?["containerPort"] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number
                        || !int.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                        || number is < 1 or > 65535)
                    {
                        errors.Add(KubeFieldError.Invalid($"spec.template.spec.containers[{i}].ports[{j}].containerPort", port?["containerPort"]?.DeepClone(), "must be between 1 and 65535, inclusive"));
                    }
                }
            }
        }
    }

    /// <summary>Jobs: a pod template with containers (name, image) and restartPolicy Never or OnFailure; status only through /status.</summary>
    private sealed class JobStrategy : ResourceStrategy
    {
        public override bool UsesGeneration => true;

        public override void PrepareForCreate(JsonObject obj, ResourceType type) => obj.Remove("status");

        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
        {
            var pod = ((obj["spec"] as JsonObject)?["template"] as JsonObject)?["spec"] as JsonObject;
            PodStrategy.ValidateContainers(pod, "spec.template.spec", errors);
            var restart = pod?["restartPolicy"]?.ToString();
            if (restart is not ("Never" or "OnFailure"))
            {
                errors.Add(KubeFieldError.NotSupported("spec.template.spec.restartPolicy", JsonValue.Create(restart ?? string.Empty), ["OnFailure", "Never"]));
            }

            if (old is not null && !JsonNode.DeepEquals((obj["spec"] as JsonObject)?["template"], (old["spec"] as JsonObject)?["template"]))
            {
                errors.Add(KubeFieldError.Invalid("spec.template", null, "field is immutable"));
            }
        }
    }

    /// <summary>Pods: containers with a name and an image; status only through /status.</summary>
    private sealed class PodStrategy : ResourceStrategy
    {
        public override void PrepareForCreate(JsonObject obj, ResourceType type) => obj.Remove("status");

        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors) =>
            ValidateContainers(obj["spec"] as JsonObject, "spec", errors);

        public static void ValidateContainers(JsonObject? pod, string path, List<KubeFieldError> errors)
        {
            var containers = pod?["containers"] as JsonArray ?? [];
            if (containers.Count == 0)
            {
                errors.Add(KubeFieldError.Required(path + ".containers", string.Empty));
            }

            for (var i = 0; i < containers.Count; i++)
            {
                foreach (var field in new[] { "name", "image" })
                {
                    if (string.IsNullOrEmpty((containers[i] as JsonObject)?[field]?.ToString()))
                    {
                        errors.Add(KubeFieldError.Required($"{path}.containers[{i}].{field}", string.Empty));
                    }
                }
            }
        }
    }

    private sealed class ServiceStrategy : ResourceStrategy
    {
        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
        {
            var ports = (obj["spec"] as JsonObject)?["ports"] as JsonArray;
            if (ports is null || ports.Count == 0)
            {
                errors.Add(KubeFieldError.Required("spec.ports", string.Empty));
            }
        }
    }

    /// <summary>Roles and ClusterRoles: every rule names verbs, and resources with apiGroups or nonResourceURLs.</summary>
    private sealed class RbacRulesStrategy : ResourceStrategy
    {
        /// <summary>kube validates RBAC names as path segments (ValidateRBACName), so "system:discovery" is a name.</summary>
        public override NameRule NameRule => NameRule.PathSegment;

        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
        {
            var rules = obj["rules"] as JsonArray ?? [];
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i] as JsonObject;
                if ((rule?["verbs"] as JsonArray)?.Count is null or 0)
                {
                    errors.Add(KubeFieldError.Required($"rules[{i}].verbs", "verbs must contain at least one value"));
                }

                var hasResources = (rule?["resources"] as JsonArray)?.Count > 0;
                var hasUrls = (rule?["nonResourceURLs"] as JsonArray)?.Count > 0;
                if (hasResources && rule?["apiGroups"] is not JsonArray)
                {
                    errors.Add(KubeFieldError.Required($"rules[{i}].apiGroups", "resource rules must supply at least one api group"));
                }

                if (!hasResources && !hasUrls)
                {
                    errors.Add(KubeFieldError.Required($"rules[{i}].resources", "resource rules must supply at least one resource"));
                }

                if (hasUrls && type.Namespaced)
                {
                    errors.Add(KubeFieldError.Invalid($"rules[{i}].nonResourceURLs", rule?["nonResourceURLs"]?.DeepClone(), "namespaced rules cannot apply to non-resource URLs"));
                }
            }
        }
    }

    /// <summary>Bindings: a roleRef of the right kind (immutable) and subjects with a kind and name.</summary>
    private sealed class RbacBindingStrategy : ResourceStrategy
    {
        public override NameRule NameRule => NameRule.PathSegment;

        public override void Validate(JsonObject obj, JsonObject? old, ResourceType type, List<KubeFieldError> errors)
        {
            var roleRef = obj["roleRef"] as JsonObject;
            var kind = roleRef?["kind"]?.ToString();
            if (roleRef is null || string.IsNullOrEmpty(roleRef["name"]?.ToString()))
            {
                errors.Add(KubeFieldError.Required("roleRef.name", string.Empty));
            }

            var allowed = type.Namespaced ? new[] { "Role", "ClusterRole" } : ["ClusterRole"];
            if (!allowed.Contains(kind))
            {
                errors.Add(KubeFieldError.NotSupported("roleRef.kind", JsonValue.Create(kind ?? string.Empty), allowed));
            }

            if (old is not null && !JsonNode.DeepEquals(roleRef, old["roleRef"]))
            {
                errors.Add(KubeFieldError.Invalid("roleRef", roleRef?.DeepClone(), "cannot change roleRef"));
            }

            var subjects = obj["subjects"] as JsonArray ?? [];
            for (var i = 0; i < subjects.Count; i++)
            {
                var subject = subjects[i] as JsonObject;
                if (string.IsNullOrEmpty(subject?["name"]?.ToString()))
                {
                    errors.Add(KubeFieldError.Required($"subjects[{i}].name", string.Empty));
                }

                if (subject?["kind"]?.ToString() == "ServiceAccount" && !type.Namespaced && string.IsNullOrEmpty(subject["namespace"]?.ToString()))
                {
                    errors.Add(KubeFieldError.Required($"subjects[{i}].namespace", string.Empty));
                }
            }
        }
    }
}
