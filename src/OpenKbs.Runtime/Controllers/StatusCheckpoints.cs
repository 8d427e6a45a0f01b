using k8s;
using k8s.Models;
using OpenKbs.Runtime.Kube;

namespace OpenKbs.Runtime.Controllers;

/// <summary>
/// <see cref="IStatusStore{TResource}"/> through the runtime's <see cref="StatusPublisher"/>: the same PUT to the status
/// subresource as the end-of-pass write. The conflict policy for a checkpoint is the publisher's with no retries: a 409 is
/// never papered over (a crash-safety marker must not overwrite a newer copy) but surfaces as <see cref="StatusConflictException"/>.
/// </summary>
public sealed class StatusCheckpoints<TResource>(IKubernetes kubernetes) : IStatusStore<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceDescriptor _descriptor = ResourceDescriptor.For<TResource>();
    private readonly KubeApiClient _api = new(kubernetes);
    private StatusPublisher? _publisher;

    private StatusPublisher Publisher => _publisher ??= new(_api, _descriptor, StatusShape.For(typeof(TResource)), conflictRetries: 0);

    public async Task<TResource?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var raw = await _api.GetAsync(_descriptor, key, cancellationToken).ConfigureAwait(false);
            return KubernetesJson.Deserialize<TResource>(raw.ToJsonString());
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public async Task SaveStatusAsync(TResource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = ObjectKey.From(resource);
        StatusWrite write;
        try
        {
            write = await Publisher.WriteAsync(resource, Publisher.Snapshot(resource), basisJson: null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            throw new StatusConflictException($"status of {key} not written: {ex.Message}", ex);
        }

        if (write.Gone)
        {
            throw new StatusConflictException($"status of {key} not written: the object is gone") { Gone = true };
        }

        if (write.ResourceVersion is { } version)
        {
            resource.Metadata.ResourceVersion = version;
        }
    }
}
