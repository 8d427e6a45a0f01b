namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>The built-in kinds the sandbox serves: what the operator and kubectl need, nothing more.</summary>
internal static class BuiltInResources
{
    public static void Register(ResourceRegistry registry, ISchemaCompiler compiler, TimeProvider time)
    {
        var namespaceStrategy = new NamespaceStrategy();
        registry.Add(new ResourceType
        {
            Group = string.Empty,
            Version = "v1",
            Plural = "namespaces",
            Singular = "namespace",
            Kind = "Namespace",
            ListKind = "NamespaceList",
            Namespaced = false,
            ShortNames = ["ns"],
            Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
            ExtraSubresources = ["finalize"],
            HasStatus = true,
            Store = registry.Store(string.Empty, "namespaces", namespaceStrategy, false),
            Strategy = namespaceStrategy,
            Table = NamespaceStrategy.CreateTable(),
        });

        var configMaps = new ConfigMapStrategy();
        registry.Add(new ResourceType
        {
            Group = string.Empty,
            Version = "v1",
            Plural = "configmaps",
            Singular = "configmap",
            Kind = "ConfigMap",
            ListKind = "ConfigMapList",
            Namespaced = true,
            ShortNames = ["cm"],
            HasStatus = false,
            Store = registry.Store(string.Empty, "configmaps", configMaps, true),
            Strategy = configMaps,
            Table = ConfigMapStrategy.CreateTable(),
        });

        var secrets = new SecretStrategy();
        registry.Add(new ResourceType
        {
            Group = string.Empty,
            Version = "v1",
            Plural = "secrets",
            Singular = "secret",
            Kind = "Secret",
            ListKind = "SecretList",
            Namespaced = true,
            HasStatus = false,
            Store = registry.Store(string.Empty, "secrets", secrets, true),
            Strategy = secrets,
            Table = SecretStrategy.CreateTable(),
        });

        var events = new EventStrategy();
        var eventStore = registry.Store(string.Empty, "events", events, true);
        registry.Add(new ResourceType
        {
            Group = string.Empty,
            Version = "v1",
            Plural = "events",
            Singular = "event",
            Kind = "Event",
            ListKind = "EventList",
            Namespaced = true,
            ShortNames = ["ev"],
            HasStatus = false,
            Store = eventStore,
            Strategy = events,
            Table = EventStrategy.CreateTable(),
        });
        registry.Add(new ResourceType
        {
            Group = "events.k8s.io",
            Version = "v1",
            Plural = "events",
            Singular = "event",
            Kind = "Event",
            ListKind = "EventList",
            Namespaced = true,
            ShortNames = ["ev"],
            HasStatus = false,
            Store = eventStore,
            Strategy = events,
            Table = EventStrategy.CreateTable(),
            Converter = new EventsV1Converter(),
        });

        var leases = new LeaseStrategy();
        registry.Add(new ResourceType
        {
            Group = "coordination.k8s.io",
            Version = "v1",
            Plural = "leases",
            Singular = "lease",
            Kind = "Lease",
            ListKind = "LeaseList",
            Namespaced = true,
            HasStatus = false,
            Store = registry.Store("coordination.k8s.io", "leases", leases, true),
            Strategy = leases,
            Table = LeaseStrategy.CreateTable(),
        });

        var crds = new CrdStrategy(compiler, time);
        registry.Add(new ResourceType
        {
            Group = "apiextensions.k8s.io",
            Version = "v1",
            Plural = "customresourcedefinitions",
            Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition",
            ListKind = "CustomResourceDefinitionList",
            Namespaced = false,
            ShortNames = ["crd", "crds"],
            Categories = ["api-extensions"],
            HasStatus = true,
            Store = registry.Store("apiextensions.k8s.io", "customresourcedefinitions", crds, false),
            Strategy = crds,
            Table = CrdStrategy.CreateTable(),
        });
    }
}
