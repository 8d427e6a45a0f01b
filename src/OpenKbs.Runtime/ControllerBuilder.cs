using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Runtime.Cache;

namespace OpenKbs.Runtime;

/// <summary>Extra wiring of one controller: which changes of other kinds wake which objects of this kind.</summary>
public sealed class ControllerBuilder<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    internal List<RelatedWatch> Related { get; } = [];

    /// <summary>
    /// When an object of <typeparamref name="TOther"/> is added, changed (status included) or deleted, reconcile the
    /// keys <paramref name="map"/> returns (trigger <see cref="ReconcileTrigger.Related"/>). <typeparamref name="TOther"/>
    /// must be registered too (<c>AddController</c> or <c>AddResourceCache</c>).
    /// </summary>
    public ControllerBuilder<TResource> Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        return Watches<TOther>((other, _) => map(other));
    }

    /// <summary>
    /// As <see cref="Watches{TOther}(Func{TOther, IEnumerable{ObjectKey}})"/>, with this kind's cache at hand to find the
    /// objects that reference the changed one, e.g. <c>(account, projects) =&gt; projects.List(account.Namespace()).Where(...)</c>.
    /// </summary>
    public ControllerBuilder<TResource> Watches<TOther>(Func<TOther, IResourceCache<TResource>, IEnumerable<ObjectKey>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        return Watches<TOther>((_, other, cache) => map(other, cache));
    }

    /// <summary>
    /// As <see cref="Watches{TOther}(Func{TOther, IResourceCache{TResource}, IEnumerable{ObjectKey}})"/>, with the
    /// service provider at hand for a mapping that needs a singleton the provider builds (e.g. a queue with the injected clock).
    /// </summary>
    public ControllerBuilder<TResource> Watches<TOther>(Func<IServiceProvider, TOther, IResourceCache<TResource>, IEnumerable<ObjectKey>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        Related.Add(new RelatedWatch(
            typeof(TOther),
            (services, entry) => map(services, entry.Deserialize<TOther>(), services.GetRequiredService<IResourceCache<TResource>>())));
        return this;
    }
}

/// <summary>A mapping from changes of another kind to keys of the controller's kind.</summary>
internal sealed record RelatedWatch(Type OtherType, Func<IServiceProvider, CacheEntry, IEnumerable<ObjectKey>> Map);
