using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Events;
using OpenKbs.Runtime.Hosting;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Metrics;

namespace OpenKbs.Runtime;

/// <summary>
/// The registration API of the runtime. The host calls <see cref="AddOpenKbsRuntime(IServiceCollection, IConfiguration)"/> once (with an <see cref="IKubernetes"/>
/// registered); each controller calls <see cref="AddController{TResource, TReconciler}"/>; kinds that are only read call
/// <see cref="AddResourceCache{TResource}"/>.
/// </summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the runtime: informers, queues, controllers loop, leader election, events, metrics and probes, with
    /// <see cref="RuntimeOptions"/> bound from <paramref name="configuration"/> (keys are its property names, e.g.
    /// <c>MetricsBindAddress</c>, <c>LeaderElection:Enabled</c>) and validated when the host starts.
    /// </summary>
    public static IServiceCollection AddOpenKbsRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddRuntime(services).Bind(configuration);
        return services;
    }

    /// <summary>As <see cref="AddOpenKbsRuntime(IServiceCollection, IConfiguration)"/>, with the settings given as a value (tests, tools).</summary>
    public static IServiceCollection AddOpenKbsRuntime(this IServiceCollection services, RuntimeOptions? options = null)
    {
        AddRuntime(services);
        var given = options ?? new RuntimeOptions();
        services.AddSingleton<IOptionsFactory<RuntimeOptions>>(sp => new GivenOptionsFactory<RuntimeOptions>(
            given, sp.GetServices<IConfigureOptions<RuntimeOptions>>(), sp.GetServices<IPostConfigureOptions<RuntimeOptions>>(), sp.GetServices<IValidateOptions<RuntimeOptions>>()));
        return services;
    }

    private static OptionsBuilder<RuntimeOptions> AddRuntime(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(RuntimeMarker)))
        {
            throw new InvalidOperationException("AddOpenKbsRuntime was called twice.");
        }

        var options = services.AddOptions<RuntimeOptions>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>());
        services.AddSingleton<RuntimeMarker>();
        // The clock and the randomness (jitter, event name suffixes) are injected; tests replace them.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Random.Shared);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RuntimeOptions>>().Value);
        services.AddSingleton(sp => RuntimeIdentity.Resolve(sp.GetRequiredService<RuntimeOptions>()));
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton(sp => new KubeApiClient(sp.GetRequiredService<IKubernetes>()));
        services.TryAddSingleton(typeof(IStatusStore<>), typeof(StatusCheckpoints<>));
        services.TryAddSingleton(typeof(ICoreObjects<>), typeof(CoreObjects<>));
        services.TryAddSingleton<IJobObjects, JobObjects>();
        services.TryAddSingleton(typeof(IResourceCreator<>), typeof(ResourceCreator<>));
        services.AddSingleton<InformerRegistry>();
        services.AddSingleton(typeof(IResourceCache<>), typeof(ResourceCache<>));
        services.AddSingleton<RuntimeState>();
        services.AddSingleton<IRuntimeStatus>(sp => sp.GetRequiredService<RuntimeState>());
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<IEventRecorder>(sp => sp.GetRequiredService<EventRecorder>());

        // Started in this order, stopped in reverse: the runtime drains first, then probes stop, then events flush.
        services.AddHostedService(sp => sp.GetRequiredService<EventRecorder>());
        services.AddHostedService<ProbeServer>();
        services.AddHostedService<OperatorRuntime>();
        services.AddOptions<HostOptions>().Configure<IOptions<RuntimeOptions>>((host, runtime) =>
        {
            var needed = runtime.Value.ShutdownTimeout + TimeSpan.FromSeconds(15);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return options;
    }

    /// <summary>
    /// Registers a controller for <typeparamref name="TResource"/> (which is cached and watched) with its reconciler
    /// (resolved from a fresh DI scope for every pass; registered as scoped unless already registered).
    /// </summary>
    public static IServiceCollection AddController<TResource, TReconciler>(
        this IServiceCollection services,
        ResourceDescriptor descriptor,
        ControllerOptions? options = null,
        Action<ControllerBuilder<TResource>>? configure = null)
        where TResource : class, IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<TResource>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(descriptor);
        var builder = new ControllerBuilder<TResource>();
        configure?.Invoke(builder);
        var registration = new ControllerRegistration(typeof(TResource), typeof(TReconciler), descriptor, options ?? new ControllerOptions(), builder.Related);
        services.AddResourceCache<TResource>(descriptor);
        services.TryAddScoped<TReconciler>();
        services.AddSingleton<IManagedController>(sp => ActivatorUtilities.CreateInstance<Controller<TResource, TReconciler>>(sp, registration));
        return services;
    }

    /// <summary>Caches and watches <typeparamref name="TResource"/> so reconcilers can read it through <see cref="IResourceCache{TResource}"/>.</summary>
    public static IServiceCollection AddResourceCache<TResource>(this IServiceCollection services, ResourceDescriptor descriptor)
        where TResource : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(descriptor);
        services.AddSingleton(new ResourceRegistration(typeof(TResource), descriptor));
        return services;
    }

    /// <summary>Hands out one given value through the options pipeline (configure, post-configure, validate).</summary>
    private sealed class GivenOptionsFactory<TOptions>(
        TOptions given, IEnumerable<IConfigureOptions<TOptions>> setups, IEnumerable<IPostConfigureOptions<TOptions>> postConfigures, IEnumerable<IValidateOptions<TOptions>> validations)
        : OptionsFactory<TOptions>(setups, postConfigures, validations)
        where TOptions : class
    {
        protected override TOptions CreateInstance(string name) => given;
    }

    private sealed class RuntimeMarker;
}
