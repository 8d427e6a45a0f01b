using System.Text.Json;
using k8s;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Testing.Kube;

/// <summary>ClientAccount manifests (for kubectl) and reads through the KubernetesClient, shared by the controller and end-to-end tests.</summary>
public static class ClientAccountApi
{
    /// <summary>A ClientAccount manifest; <paramref name="extra"/> is further spec YAML (two-space indented lines).</summary>
    public static string Manifest(string @namespace, string name, string email, string? ou = null, string? extra = null) => $"""
        apiVersion: openkbs.com/v1alpha1
        kind: ClientAccount
        metadata:
          name: {name}
          namespace: {@namespace}
        spec:
          email: {email}
        {(ou is null ? string.Empty : $"  organizationalUnit: {ou}\n")}{extra ?? string.Empty}
        """;

    /// <summary>The ClientAccount, or null when it does not exist.</summary>
    public static Task<ClientAccount?> GetAsync(IKubernetes client, string @namespace, string name) =>
        KubeObjects.GetOrNullAsync<ClientAccount>(client, @namespace, ClientAccount.KubePlural, name);

    public static async Task<IReadOnlyList<ClientAccount>> ListAsync(IKubernetes client, string @namespace)
    {
        var raw = await client.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, @namespace, ClientAccount.KubePlural);
        var list = KubernetesJson.Deserialize<CustomResourceList<ClientAccount>>(((JsonElement)raw).GetRawText());
        return [.. list.Items];
    }

    /// <summary>Polls until <paramref name="until"/> holds for the object (null = gone); fails with the last status after <paramref name="timeout"/> (90 s by default).</summary>
    public static async Task<ClientAccount?> WaitAsync(IKubernetes client, string @namespace, string name, Func<ClientAccount?, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var current = await GetAsync(client, @namespace, name);
            if (until(current))
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"{@namespace}/{name} did not reach the expected state; status: {KubernetesJson.Serialize(current?.Status)}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls the namespace until every one of <paramref name="count"/> ClientAccounts is Ready; calls <paramref name="observe"/> on each snapshot.</summary>
    public static async Task<IReadOnlyList<ClientAccount>> WaitAllReadyAsync(
        IKubernetes client, string @namespace, int count, TimeSpan timeout, Action<ClientAccount>? observe = null, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var all = await ListAsync(client, @namespace);
            foreach (var item in all)
            {
                observe?.Invoke(item);
            }

            if (all.Count == count && all.All(IsReady))
            {
                return all;
            }

            if (DateTime.UtcNow > deadline)
            {
                var pending = all.Where(c => !IsReady(c)).Select(c => $"{c.Metadata.Name}: {c.Status?.State} {Ready(c)?.Message}");
                throw new Xunit.Sdk.XunitException($"not all Ready in {timeout}: {string.Join("; ", pending)}\n{diagnostics?.Invoke()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Ready is True for the current generation.</summary>
    public static bool IsReady(ClientAccount? resource) =>
        Ready(resource) is { Status: "True" } ready && ready.ObservedGeneration == resource!.Metadata.Generation;

    public static string? ReadyReason(ClientAccount? resource) => Ready(resource)?.Reason;

    private static k8s.Models.V1Condition? Ready(ClientAccount? resource) =>
        resource?.Status?.Conditions.FirstOrDefault(c => string.Equals(c.Type, ConditionTypes.Ready, StringComparison.Ordinal));
}
