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
    /// <summary>The status as JSON text (null when absent).</summary>
    public string? Snapshot(IKubernetesObject<V1ObjectMeta> resource)
    {
        if (shape.StatusProperty is { } property)
        {
            var status = property.GetValue(resource);
            return status is null ? null : KubernetesJson.Serialize(status);
        }

        return (JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject)?["status"]?.ToJsonString();
    }

    /// <summary>The status to publish: the reconciler's status plus the fields the runtime stamps (only set when they differ).</summary>
    public string? Desired(IKubernetesObject<V1ObjectMeta> resource, long generation, string? handledToken, bool stampObservedGeneration)
    {
        var text = Snapshot(resource);
        var stampToken = handledToken is not null && shape.LastHandledReconcileAtJson is not null;
        var stampGeneration = stampObservedGeneration && generation > 0 && shape.ObservedGenerationJson is not null;
        if (!stampToken && !stampGeneration)
        {
            return text;
        }

        var status = text is null ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        var stamped = false;
        if (stampToken && !(status[shape.LastHandledReconcileAtJson!] is JsonValue t && t.TryGetValue<string>(out var current) && current == handledToken))
        {
            status[shape.LastHandledReconcileAtJson!] = handledToken;
            stamped = true;
        }

        if (stampGeneration && !(status[shape.ObservedGenerationJson!] is JsonValue g && g.TryGetValue<long>(out var observed) && observed == generation))
        {
            status[shape.ObservedGenerationJson!] = generation;
            stamped = true;
        }

        return stamped ? status.ToJsonString() : text;
    }

    /// <summary>Semantic comparison: equal text is unchanged; otherwise the JSON trees are compared (property order ignored).</summary>
    public static bool Changed(string? before, string? after)
    {
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return false;
        }

        if (before is null || after is null)
        {
            return true;
        }

        return !JsonNode.DeepEquals(JsonNode.Parse(before), JsonNode.Parse(after));
    }

    /// <summary>Publishes <paramref name="statusJson"/>. Returns how many conflicts were retried; throws when they never stop.</summary>
    public async Task<StatusWrite> WriteAsync(IKubernetesObject<V1ObjectMeta> resource, string? statusJson, CancellationToken cancellationToken)
    {
        var key = ObjectKey.From(resource);
        var status = statusJson is null ? null : JsonNode.Parse(statusJson);
        var body = JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject ?? throw new InvalidOperationException("resource did not serialize to an object");
        // The cached copy carries managedFields reduced to the spec's last change; sent back, an API server would take it
        // as the object's new field ownership. Without it the server keeps the ownership it has.
        (body["metadata"] as JsonObject)?.Remove("managedFields");
        body["status"] = status?.DeepClone();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var written = await api.ReplaceStatusAsync(descriptor, key, body, cancellationToken).ConfigureAwait(false);
                return new StatusWrite(true, attempt, false, written["metadata"]?["resourceVersion"]?.GetValue<string>());
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

                if (!Changed(body["status"]?.ToJsonString(), statusJson))
                {
                    return new StatusWrite(false, attempt + 1, false);
                }

                body["status"] = status?.DeepClone();
            }
        }
    }
}

/// <summary>Result of a status write: whether a PUT succeeded, how many 409s were retried, whether the object was gone, the new resourceVersion.</summary>
internal readonly record struct StatusWrite(bool Written, int Conflicts, bool Gone, string? ResourceVersion = null);
