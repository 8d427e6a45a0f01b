using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>The finalizer of an object in <see cref="InMemoryStatusStore"/>: removing the last one while deleting makes the object gone.</summary>
internal sealed class TestFinalizer(InMemoryStatusStore store, ClientAccount resource) : IFinalizerHandle
{
    public bool IsDeleting => resource.Metadata.DeletionTimestamp is not null;

    public bool IsPresent => resource.Metadata.Finalizers?.Contains(Finalizers.Default) == true;

    public bool ObjectRemoved { get; private set; }

    public Task AddAsync(CancellationToken cancellationToken)
    {
        if (!IsPresent)
        {
            resource.Metadata.Finalizers = [.. resource.Metadata.Finalizers ?? [], Finalizers.Default];
            var stored = store.Read(ObjectKey.From(resource))!;
            stored.Metadata.Finalizers = resource.Metadata.Finalizers;
            resource.Metadata.ResourceVersion = store.Put(stored).Metadata.ResourceVersion;
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(CancellationToken cancellationToken)
    {
        resource.Metadata.Finalizers = [.. (resource.Metadata.Finalizers ?? []).Where(f => f != Finalizers.Default)];
        if (IsDeleting && resource.Metadata.Finalizers.Count == 0)
        {
            store.Remove(ObjectKey.From(resource));
            ObjectRemoved = true;
        }

        return Task.CompletedTask;
    }
}
