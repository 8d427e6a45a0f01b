using System.Text.Json;
using k8s;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>ClientAccount manifests and reads through the KubernetesClient.</summary>
internal static class ClientAccountApi
{
    public static string Manifest(string @namespace, string name, string email, string? extra = null) => $"""
        apiVersion: openkbs.com/v1alpha1
        kind: ClientAccount
        metadata:
          name: {name}
          namespace: {@namespace}
        spec:
          email: {email}
        {extra ?? string.Empty}
        """;

    public static async Task<IReadOnlyList<ClientAccount>> ListAsync(IKubernetes client, string @namespace)
    {
        var raw = await client.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, @namespace, ClientAccount.KubePlural);
        var list = KubernetesJson.Deserialize<CustomResourceList<ClientAccount>>(((JsonElement)raw).GetRawText());
        return [.. list.Items];
    }

    public static bool IsReady(ClientAccount resource) =>
        resource.Status?.Conditions.FirstOrDefault(c => c.Type == ConditionTypes.Ready) is { Status: "True" } ready
        && ready.ObservedGeneration == resource.Metadata.Generation;

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
                var pending = all.Where(c => !IsReady(c)).Select(c =>
                    $"{c.Metadata.Name}: {c.Status?.State} {c.Status?.Conditions.FirstOrDefault(x => x.Type == ConditionTypes.Ready)?.Message}");
                throw new Xunit.Sdk.XunitException($"not all Ready in {timeout}: {string.Join("; ", pending)}\n{diagnostics?.Invoke()}");
            }

            await Task.Delay(200);
        }
    }
}
