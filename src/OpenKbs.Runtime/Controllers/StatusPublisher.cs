using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Runtime.Kube;

namespace OpenKbs.Runtime.Controllers;

/// <summary>
/// Writes a reconcile's status: one PUT to the status subresource, only when the status JSON changed (semantic
/// comparison), with the resourceVersion as precondition. On 409 it re-reads the latest object and re-applies the
/// computed status, a bounded number of times. It never writes the spec.
/// </summary>
internal sealed class StatusPublisher(KubeApiClient api, ResourceDescriptor descriptor, StatusShape shape, int conflictRetries)
{
    /// <summary>The status as JSON (null when absent), normalized for comparison.</summary>
    public JsonNode? Snapshot(IKubernetesObject<V1ObjectMeta> resource)
    {
        if (shape.StatusProperty is { } property)
        {
            var status = property.GetValue(resource);
            return status is null ? null : JsonNode.Parse(KubernetesJson.Serialize(status));
        }

        return (JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject)?["status"]?.DeepClone();
    }

    /// <summary>The status to publish: the reconciler's status plus the fields the runtime stamps.</summary>
    public JsonNode? Desired(IKubernetesObject<V1ObjectMeta> resource, long generation, string? handledToken, bool stampObservedGeneration)
    {
        var status = Snapshot(resource);
        if (handledToken is not null && shape.LastHandledReconcileAtJson is { } handledName)
        {
            status ??= new JsonObject();
            status[handledName] = handledToken;
        }

        if (stampObservedGeneration && generation > 0 && shape.ObservedGenerationJson is { } observedName)
        {
            status ??= new JsonObject();
            status[observedName] = generation;
        }

        // Re-parse so every value compares like a value read from the API server.
        return status is null ? null : JsonNode.Parse(status.ToJsonString());
    }

    public static bool Changed(JsonNode? before, JsonNode? after) => !JsonNode.DeepEquals(before, after);

    /// <summary>Publishes <paramref name="status"/>. Returns how many conflicts were retried; throws when they never stop.</summary>
    public async Task<StatusWrite> WriteAsync(IKubernetesObject<V1ObjectMeta> resource, JsonNode? status, CancellationToken cancellationToken)
    {
        var key = ObjectKey.From(resource);
        var body = JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject ?? throw new InvalidOperationException("resource did not serialize to an object");
        body["status"] = status?.DeepClone();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await api.ReplaceStatusAsync(descriptor, key, body, cancellationToken).ConfigureAwait(false);
                return new StatusWrite(true, attempt, false);
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
                return new StatusWrite(false, attempt, true);
            }
            catch (KubeApiException ex) when (ex.IsConflict && attempt < conflictRetries)
            {
                try
                {
                    body = await api.GetAsync(descriptor, key, cancellationToken).ConfigureAwait(false);
                }
                catch (KubeApiException notFound) when (notFound.IsNotFound)
                {
                    return new StatusWrite(false, attempt + 1, true);
                }

                if (!Changed(body["status"], status))
                {
                    return new StatusWrite(false, attempt + 1, false);
                }

                body["status"] = status?.DeepClone();
            }
        }
    }
}

/// <summary>Result of a status write: whether a PUT succeeded, how many 409s were retried, whether the object was gone.</summary>
internal readonly record struct StatusWrite(bool Written, int Conflicts, bool Gone);
