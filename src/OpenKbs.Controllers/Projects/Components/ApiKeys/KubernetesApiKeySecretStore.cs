using System.Globalization;
using System.Text;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary><see cref="IApiKeySecretStore"/> over the runtime's Secret client (read from the API server, never cached).</summary>
internal sealed class KubernetesApiKeySecretStore(ICoreObjects<V1Secret> secrets) : IApiKeySecretStore
{
    public async Task<ApiKeySecret?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await secrets.GetAsync(@namespace, name, cancellationToken) is { } secret ? FromSecret(secret) : null;

    public async Task<ApiKeySecret> WriteAsync(string @namespace, ApiKeySecret secret, Project owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(owner);
        return FromSecret(await secrets.WriteAsync(ToSecret(@namespace, secret, owner), cancellationToken));
    }

    internal static V1Secret ToSecret(string @namespace, ApiKeySecret secret, Project owner)
    {
        var data = secret.Keys.ToDictionary(k => k.Key, k => Encoding.UTF8.GetBytes(k.Value), StringComparer.Ordinal);
        foreach (var (name, sha256) in secret.Collected)
        {
            data[name + ApiKeySecret.HashSuffix] = Encoding.UTF8.GetBytes(sha256);
        }

        if (secret.Staged is { } staged)
        {
            data[ApiKeySecret.StagedDataKey] = Encoding.UTF8.GetBytes(staged);
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (secret.Deployment is { } deployment)
        {
            annotations[ApiKeySecret.DeploymentAnnotation] = deployment;
        }

        if (secret.CollectedMark is { } mark)
        {
            annotations[Annotations.KeysCollected] = mark;
        }

        if (secret.PlaintextDeletedAt is { } deletedAt && secret.Collected.Count > 0)
        {
            annotations[ApiKeySecret.PlaintextDeletedAnnotation] = deletedAt.ToString("O", CultureInfo.InvariantCulture);
        }

        if (secret.StagedDeployment is { } stagedDeployment && secret.Staged is not null)
        {
            annotations[ApiKeySecret.StagedDeploymentAnnotation] = stagedDeployment;
        }

        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta
            {
                Name = secret.Name,
                NamespaceProperty = @namespace,
                ResourceVersion = secret.ResourceVersion,
                Labels = new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue },
                Annotations = annotations,
                OwnerReferences = [ProjectOwnerReference.For(owner)],
            },
            Data = data,
        };
    }

    internal static ApiKeySecret FromSecret(V1Secret secret)
    {
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        var annotations = secret.Metadata.Annotations ?? new Dictionary<string, string>();
        return new ApiKeySecret
        {
            Name = secret.Metadata.Name,
            ResourceVersion = secret.Metadata.ResourceVersion,
            Deployment = annotations.TryGetValue(ApiKeySecret.DeploymentAnnotation, out var deployment) ? deployment : null,
            StagedDeployment = annotations.TryGetValue(ApiKeySecret.StagedDeploymentAnnotation, out var staged) ? staged : null,
            Staged = data.TryGetValue(ApiKeySecret.StagedDataKey, out var sealedKeys) ? Encoding.UTF8.GetString(sealedKeys) : null,
            CollectedMark = annotations.TryGetValue(Annotations.KeysCollected, out var mark) ? mark : null,
            PlaintextDeletedAt = annotations.TryGetValue(ApiKeySecret.PlaintextDeletedAnnotation, out var deletedAt)
                && DateTimeOffset.TryParse(deletedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null,
            Keys = data.Where(d => d.Key != ApiKeySecret.StagedDataKey && !d.Key.EndsWith(ApiKeySecret.HashSuffix, StringComparison.Ordinal))
                .ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value), StringComparer.Ordinal),
            Collected = data.Where(d => d.Key.EndsWith(ApiKeySecret.HashSuffix, StringComparison.Ordinal))
                .ToDictionary(d => d.Key[..^ApiKeySecret.HashSuffix.Length], d => Encoding.UTF8.GetString(d.Value), StringComparer.Ordinal),
        };
    }
}
