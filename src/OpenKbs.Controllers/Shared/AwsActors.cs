using k8s;
using k8s.Models;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Controllers.Shared;

/// <summary>Builds the <see cref="AwsActor"/> of a reconcile: the controller plus the owning object's namespace, kind, name and uid.</summary>
public static class AwsActors
{
    /// <summary>The actor for AWS calls made on behalf of <paramref name="resource"/> by <paramref name="controller"/>.</summary>
    public static AwsActor For(IKubernetesObject<V1ObjectMeta> resource, string controller)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrWhiteSpace(controller);
        return new AwsActor
        {
            Controller = controller,
            Namespace = resource.Metadata?.NamespaceProperty ?? string.Empty,
            Kind = resource.Kind,
            Name = resource.Metadata?.Name ?? string.Empty,
            Uid = resource.Metadata?.Uid,
        };
    }
}
