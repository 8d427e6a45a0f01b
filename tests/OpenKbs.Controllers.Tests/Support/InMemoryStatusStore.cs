using k8s;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// The API server's copy of ClientAccounts for step tests: saves keep a serialized copy (what a restart would read),
/// bump the resourceVersion, honour the resourceVersion precondition, and can fail on a chosen save to simulate a crash
/// or a conflict at that instant.
/// </summary>
internal sealed class InMemoryStatusStore : IStatusStore<ClientAccount>
{
    private readonly Dictionary<ObjectKey, string> _objects = [];
    private int _version = 100;

    /// <summary>Saves so far.</summary>
    public int Saves { get; private set; }

    /// <summary>When set, the save with this 1-based number throws <see cref="FailWith"/> instead of writing.</summary>
    public int? FailOnSave { get; set; }

    public Func<Exception> FailWith { get; set; } = () => new SimulatedCrashException("crash at a status write");

    /// <summary>Puts <paramref name="resource"/> in the store as the API server would have it.</summary>
    public ClientAccount Put(ClientAccount resource)
    {
        resource.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[ObjectKey.From(resource)] = KubernetesJson.Serialize(resource);
        return Read(ObjectKey.From(resource))!;
    }

    public void Remove(ObjectKey key) => _objects.Remove(key);

    /// <summary>The stored copy (a restart reads this).</summary>
    public ClientAccount? Read(ObjectKey key) => _objects.TryGetValue(key, out var json) ? KubernetesJson.Deserialize<ClientAccount>(json) : null;

    public Task<ClientAccount?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => Task.FromResult(Read(key));

    public Task SaveStatusAsync(ClientAccount resource, CancellationToken cancellationToken)
    {
        Saves++;
        if (FailOnSave == Saves)
        {
            throw FailWith();
        }

        var key = ObjectKey.From(resource);
        var stored = Read(key) ?? throw new StatusConflictException("gone") { Gone = true };
        if (stored.Metadata.ResourceVersion != resource.Metadata.ResourceVersion)
        {
            throw new StatusConflictException($"resourceVersion {resource.Metadata.ResourceVersion} is stale ({stored.Metadata.ResourceVersion})");
        }

        stored.Status = KubernetesJson.Deserialize<ClientAccountStatus>(KubernetesJson.Serialize(resource.Status));
        resource.Metadata.ResourceVersion = Put(stored).Metadata.ResourceVersion;
        return Task.CompletedTask;
    }
}
