using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace OpenKbs.Runtime.Kube;

/// <summary><see cref="IResourceCreator{TResource}"/>: one POST to the kind's collection; AlreadyExists is success.</summary>
public sealed class ResourceCreator<TResource>(IKubernetes kubernetes) : IResourceCreator<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceDescriptor _descriptor = ResourceDescriptor.For<TResource>();
    private readonly KubeApiClient _api = new(kubernetes);

    public async Task<bool> CreateIfAbsentAsync(TResource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var body = JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject
            ?? throw new InvalidOperationException($"{typeof(TResource).Name} did not serialize to a JSON object");
        body.Remove("status");
        try
        {
            await _api.PostAsync(KubeApiClient.ResourcePath(_descriptor, resource.Metadata.NamespaceProperty), body.ToJsonString(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsConflict && string.Equals(ex.Reason, "AlreadyExists", StringComparison.Ordinal))
        {
            return false;
        }
    }
}
