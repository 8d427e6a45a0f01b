using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Runtime.Kube;

namespace OpenKbs.Runtime.Controllers;

/// <summary>Adds and removes finalizers with a JSON merge patch carrying a resourceVersion precondition; 409 re-reads and retries.</summary>
internal sealed class FinalizerPatcher(KubeApiClient api, ResourceDescriptor descriptor, int conflictRetries)
{
    public Task<bool> AddAsync(ReconcileContext context, IKubernetesObject<V1ObjectMeta> resource, string finalizer, CancellationToken cancellationToken)
        => UpdateAsync(context, resource, list =>
        {
            if (list.Contains(finalizer))
            {
                return false;
            }

            list.Add(finalizer);
            return true;
        }, cancellationToken);

    public Task<bool> RemoveAsync(ReconcileContext context, IKubernetesObject<V1ObjectMeta> resource, string finalizer, CancellationToken cancellationToken)
        => UpdateAsync(context, resource, list => list.Remove(finalizer), cancellationToken);

    private async Task<bool> UpdateAsync(
        ReconcileContext context, IKubernetesObject<V1ObjectMeta> resource, Func<List<string>, bool> mutate, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource.Metadata?.Name);
        var key = ObjectKey.From(resource);
        var metadata = resource.Metadata;
        for (var attempt = 0; ; attempt++)
        {
            var finalizers = metadata.Finalizers?.ToList() ?? [];
            if (!mutate(finalizers))
            {
                return false;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = metadata.ResourceVersion,
                    ["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
                },
            };
            try
            {
                var updated = await api.MergePatchAsync(descriptor, key, patch, cancellationToken).ConfigureAwait(false);
                resource.Metadata = ReadMetadata(updated);
                if (resource.Metadata.DeletionTimestamp is not null && (resource.Metadata.Finalizers is null || resource.Metadata.Finalizers.Count == 0))
                {
                    context.ObjectRemoved = true;
                }

                return true;
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
                context.ObjectRemoved = true;
                return false;
            }
            catch (KubeApiException ex) when (ex.IsConflict && attempt < conflictRetries)
            {
                try
                {
                    metadata = ReadMetadata(await api.GetAsync(descriptor, key, cancellationToken).ConfigureAwait(false));
                }
                catch (KubeApiException notFound) when (notFound.IsNotFound)
                {
                    context.ObjectRemoved = true;
                    return false;
                }

                resource.Metadata = metadata;
            }
        }
    }

    private static V1ObjectMeta ReadMetadata(JsonObject obj)
        => KubernetesJson.Deserialize<V1ObjectMeta>(obj["metadata"] ?? throw new KubeApiException("object without metadata"));
}
