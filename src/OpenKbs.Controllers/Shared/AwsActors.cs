using k8s;
using k8s.Models;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Controllers.Shared;

/// <summary>Builds the <see cref="AwsActor"/> of a reconcile: the controller plus the owning object's namespace, kind, name, uid and the field manager that last changed its spec.</summary>
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
            SpecManager = SpecChange(resource)?.Manager,
            SpecChangedAt = SpecChange(resource)?.Time is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null,
        };
    }

    /// <summary>The managedFields entry that most recently changed the spec (the field manager; Kubernetes keeps no user there).</summary>
    internal static V1ManagedFieldsEntry? SpecChange(IKubernetesObject<V1ObjectMeta> resource) =>
        resource.Metadata?.ManagedFields?
            .Select((entry, index) => (entry, index))
            .Where(m => m.entry.Subresource is null or "" && m.entry.FieldsV1?.ToString()?.Contains("\"f:spec\"", StringComparison.Ordinal) == true)
            .OrderByDescending(m => m.entry.Time ?? DateTime.MinValue) // seconds only: within one second the later entry wins
            .ThenByDescending(m => m.index)
            .Select(m => m.entry)
            .FirstOrDefault();
}
