using k8s;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Controllers.Shared;

/// <summary>The Kubernetes object an <see cref="AwsActor"/> names, just enough of it to hang an Event on.</summary>
internal sealed class AuditedObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The object of <paramref name="actor"/>, or null for the operator's own calls (no owning object).</summary>
    public static AuditedObject? For(AwsActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Namespace is "" or "-" || string.IsNullOrEmpty(actor.Name) || actor.Kind is "" or "Operator")
        {
            return null;
        }

        return new AuditedObject
        {
            Kind = actor.Kind,
            Metadata = new V1ObjectMeta { Name = actor.Name, NamespaceProperty = actor.Namespace, Uid = actor.Uid },
        };
    }
}
