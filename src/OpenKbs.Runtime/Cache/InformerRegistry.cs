using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Metrics;

namespace OpenKbs.Runtime.Cache;

/// <summary>One shared informer per registered kind.</summary>
internal sealed class InformerRegistry
{
    private readonly Dictionary<Type, ResourceInformer> _byType = [];

    public InformerRegistry(
        IEnumerable<ResourceRegistration> registrations, KubeApiClient api, RuntimeOptions options, RuntimeMetrics metrics, TimeProvider time, Random random, ILoggerFactory loggers)
    {
        var settings = InformerSettings.From(options);
        var byDescriptor = new Dictionary<ResourceDescriptor, ResourceInformer>();
        foreach (var registration in registrations)
        {
            if (_byType.TryGetValue(registration.ResourceType, out var existing))
            {
                if (existing.Descriptor != registration.Descriptor)
                {
                    throw new InvalidOperationException(
                        $"{registration.ResourceType.Name} is registered twice with different descriptors ({existing.Descriptor} and {registration.Descriptor}).");
                }

                continue;
            }

            if (!byDescriptor.TryGetValue(registration.Descriptor, out var informer))
            {
                informer = new ResourceInformer(
                    registration.Descriptor,
                    api,
                    settings,
                    time,
                    random,
                    loggers.CreateLogger($"OpenKbs.Runtime.Informer.{registration.Descriptor.Plural}"),
                    new InformerMetrics(metrics, registration.Descriptor.Plural));
                byDescriptor[registration.Descriptor] = informer;
            }

            _byType[registration.ResourceType] = informer;
        }

        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var informer in All)
            {
                metrics.CachedObjects.WithLabels(informer.Descriptor.Plural).Set(informer.Store.Count);
            }
        });
    }

    public IReadOnlyCollection<ResourceInformer> All => _byType.Values.Distinct().ToList();

    public ResourceInformer Get(Type resourceType)
        => _byType.TryGetValue(resourceType, out var informer)
            ? informer
            : throw new InvalidOperationException(
                $"{resourceType.Name} is not registered with the runtime: call services.AddController<{resourceType.Name}, ...>(...) or services.AddResourceCache<{resourceType.Name}>(...).");
}
