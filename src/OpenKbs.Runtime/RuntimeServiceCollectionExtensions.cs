using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Events;
using OpenKbs.Runtime.Hosting;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Metrics;

namespace OpenKbs.Runtime;

/// <summary>
/// The registration API of the runtime. The host calls <see cref="AddOpenKbsRuntime"/> once (with an <see cref="IKubernetes"/>
/// registered); each controller calls <see cref="AddController{TResource, TReconciler}"/>; kinds that are only read call
/// <see cref="AddResourceCache{TResource}"/>.
/// </summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>Registers the runtime: informers, queues, controllers loop, leader election, events, metrics and probes.</summary>
    public static IServiceCollection AddOpenKbsRuntime(this IServiceCollection services, RuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(RuntimeMarker)))
        {
            throw new InvalidOperationException("AddOpenKbsRuntime was called twice.");
        }

        options ??= new RuntimeOptions();
        Validate(options);
        services.AddSingleton<RuntimeMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(_ => RuntimeIdentity.Resolve(options));
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton(sp => new KubeApiClient(sp.GetRequiredService<IKubernetes>()));
        services.TryAddSingleton(typeof(IStatusStore<>), typeof(StatusCheckpoints<>));
        services.TryAddSingleton(typeof(ICoreObjects<>), typeof(CoreObjects<>));
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
        services.Configure<HostOptions>(host =>
        {
            var needed = options.ShutdownTimeout + TimeSpan.FromSeconds(15);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return services;
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

    private static void Validate(RuntimeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentReconciles, 1, nameof(options.MaxConcurrentReconciles));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BackoffBase, TimeSpan.Zero, nameof(options.BackoffBase));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BackoffCap, options.BackoffBase, nameof(options.BackoffCap));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ResyncInterval, TimeSpan.Zero, nameof(options.ResyncInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TerminalRecheckInterval, TimeSpan.Zero, nameof(options.TerminalRecheckInterval));
        var election = options.LeaderElection;
        if (election.Enabled && !(election.LeaseDuration > election.RenewDeadline && election.RenewDeadline > election.RetryPeriod))
        {
            throw new ArgumentException("Leader election needs LeaseDuration > RenewDeadline > RetryPeriod.", nameof(options));
        }

        _ = BindAddress.Parse(options.MetricsBindAddress);
        _ = BindAddress.Parse(options.HealthProbeBindAddress);
    }

    private sealed class RuntimeMarker;
}
