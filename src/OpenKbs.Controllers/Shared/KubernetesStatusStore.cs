using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared;

/// <summary><see cref="IStatusStore{TResource}"/> over the KubernetesClient: GET the object, PUT its status subresource.</summary>
internal sealed class KubernetesStatusStore<TResource>(IKubernetes kubernetes) : IStatusStore<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceDescriptor _descriptor = ResourceDescriptor.For<TResource>();

    public async Task<TResource?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var raw = await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync(
                _descriptor.Group, _descriptor.Version, key.Namespace, _descriptor.Plural, key.Name, cancellationToken);
            return Read(raw);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task SaveStatusAsync(TResource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = ObjectKey.From(resource);
        try
        {
            var raw = await kubernetes.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
                resource, _descriptor.Group, _descriptor.Version, key.Namespace, _descriptor.Plural, key.Name, cancellationToken: cancellationToken);
            if (Read(raw)?.Metadata?.ResourceVersion is { } version)
            {
                resource.Metadata.ResourceVersion = version;
            }
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            throw new StatusConflictException($"status of {key} not written: {(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}", ex)
            {
                Gone = ex.Response.StatusCode == HttpStatusCode.NotFound,
            };
        }
    }

    private static TResource? Read(object? raw) => raw switch
    {
        null => null,
        JsonElement element => KubernetesJson.Deserialize<TResource>(element.GetRawText()),
        _ => KubernetesJson.Deserialize<TResource>(KubernetesJson.Serialize(raw)),
    };
}
