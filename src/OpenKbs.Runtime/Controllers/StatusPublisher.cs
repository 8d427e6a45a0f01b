using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Runtime.Kube;

namespace OpenKbs.Runtime.Controllers;

/// <summary>
/// Writes a reconcile's status: one PUT to the status subresource, only when the status JSON changed (semantic
/// comparison), with the resourceVersion as precondition. On 409 it re-reads the latest object: when only the spec or
/// metadata moved (the latest status is still the one the pass computed from, its basis) it re-applies the computed
/// status, a bounded number of times; when the status itself moved (a write this pass never saw, typically the previous
/// pass's own final write that the informer cache had not delivered yet) it writes nothing and reports the write stale,
/// so a pass computed from an old view never overwrites newer knowledge. It never writes the spec.
/// </summary>
internal sealed class StatusPublisher(KubeApiClient api, ResourceDescriptor descriptor, StatusShape shape, int conflictRetries)
{
    /// <summary>
    /// This process's last status write per object (end-of-pass or checkpoint): its resourceVersion and status JSON. A pass
    /// must not start from an informer copy older than it (the controller reads the object live while the cache has not
    /// delivered it), and a copy that carries that resourceVersion (a checkpoint of the running pass) has that status as the
    /// basis its later writes are judged against. Process-wide because checkpoints and the end-of-pass write come from
    /// different publishers of the same kind.
    /// </summary>
    private static readonly ConcurrentDictionary<(ResourceDescriptor Kind, ObjectKey Key), LastWrite> s_lastWritten = new();

    /// <summary>The resourceVersion this process last wrote for <paramref name="key"/>, if the cache may not have delivered it yet.</summary>
    public static string? PendingWrite(ResourceDescriptor kind, ObjectKey key) => s_lastWritten.TryGetValue((kind, key), out var last) ? last.Version : null;

    /// <summary>Forgets <paramref name="version"/> as the pending write of <paramref name="key"/> (the cache or a live read has it).</summary>
    public static void Delivered(ResourceDescriptor kind, ObjectKey key, string version)
    {
        if (s_lastWritten.TryGetValue((kind, key), out var last) && last.Version == version)
        {
            s_lastWritten.TryRemove(new KeyValuePair<(ResourceDescriptor, ObjectKey), LastWrite>((kind, key), last));
        }
    }

    /// <summary>
    /// The status the server held when this copy's pass last knew it: what its last checkpoint wrote (the copy carries that
    /// write's resourceVersion), else <paramref name="initial"/>.
    /// </summary>
    public string? BasisOf(IKubernetesObject<V1ObjectMeta> resource, string? initial) =>
        s_lastWritten.TryGetValue((descriptor, ObjectKey.From(resource)), out var last) && last.Version == resource.Metadata.ResourceVersion ? last.Json : initial;

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

    /// <summary>
    /// Publishes <paramref name="statusJson"/>, computed from a copy whose status was <paramref name="basisJson"/>. Returns how
    /// many conflicts were retried and whether the write was refused as stale; throws when conflicts never stop.
    /// </summary>
    public async Task<StatusWrite> WriteAsync(IKubernetesObject<V1ObjectMeta> resource, string? statusJson, string? basisJson, CancellationToken cancellationToken)
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
                var version = written["metadata"]?["resourceVersion"]?.GetValue<string>();
                if (version is not null)
                {
                    s_lastWritten[(descriptor, key)] = new LastWrite(version, statusJson);
                }

                return new StatusWrite(true, attempt, false, version);
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

                var latest = body["status"]?.ToJsonString();
                if (!Changed(latest, statusJson))
                {
                    return new StatusWrite(false, attempt + 1, false);
                }

                if (Changed(latest, basisJson))
                {
                    return new StatusWrite(false, attempt + 1, false) { Stale = true };
                }

                body["status"] = status?.DeepClone();
            }
        }
    }
}

/// <summary>
/// Result of a status write: whether a PUT succeeded, how many 409s were retried, whether the object was gone, the new
/// resourceVersion, and whether it was refused because the status on the server moved since the pass's view (stale).
/// </summary>
internal readonly record struct StatusWrite(bool Written, int Conflicts, bool Gone, string? ResourceVersion = null)
{
    public bool Stale { get; init; }
}

/// <summary>A status write of this process: the resourceVersion it made and the status JSON it wrote (null when absent).</summary>
internal sealed record LastWrite(string Version, string? Json);
